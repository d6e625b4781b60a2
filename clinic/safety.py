"""Red flags: messages that need 911, 988 or the clinic now, before anything else.

The flags live in content/red_flags.yml as regular expressions over the message in lower
case with apostrophes dropped. Look-alike idioms ("my back is killing me") are blanked out
first. A match doesn't count when it is negated ("no chest pain", "not red or warm", "the
nurse asked if I had numbness and I don't"), in a plainly hypothetical or general question
("what if I have an allergic reaction?", "what are the signs of a stroke?"), or in a sentence
about the distant or resolved past ("I had chest pain years ago", "as a child") or a
relative's history ("my father had a stroke") - unless that sentence also says it is
happening now ("... and it's back", "right now"); a stroke sign that came and went lately
counts even so ("my face drooped for ten minutes, fine now": a TIA). A question about what is
happening now counts ("is it normal that my smile went crooked an hour ago?", "what does it
mean if my words come out wrong?"), and so does one about what can cause it when it points at
it ("can anxiety cause chest pain like this?") or a later sentence says it began ("... ? it
started ten minutes ago").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# --- Negation ---------------------------------------------------------------------------
# A negation covers the next few words and a list after them: "no chest pain", "not red or
# warm", "I don't have a fever", "not having any thoughts of hurting myself", "zero chest
# pain", "I wouldn't ever end my life". "A reason not to end it" asks for a reason, it
# denies nothing. A hedge ("I don't think I can breathe") is no
# negation, nor is something that won't stop ("it won't stop bleeding", "the pain doesn't go
# away"), and a clause break ("no idea why ...", "not sure but ...") ends its scope.
_CUE = (
    r"(no(?! one)|(?<!reason )(?<!reasons )not|never|without|nor|no longer|zero|denies|denied"
    r"|deny|free of|negative for|wont"
    r"|(do|does|did|have|has|had|is|are|was|were|would|will)(nt| not))"
)
_HEDGE = (
    r"(think(?! about| of)|know|understand|remember|care|mind|see why|get why"
    r"|stop|quit|let up|go away|ease|settle|work|help)"
)
_BREAK = r"(but|if|why|because|so|though|although|and|until|except|now)"
NEGATION = re.compile(
    rf"\b{_CUE}\s+(?!{_HEDGE}\b)((?!{_BREAK}\b)\w+\s+){{0,3}}"
    r"((thoughts?|ideas?|plans?|intentions?|urges?|signs?|feelings?) (of|to|about) )?$"
    r"|\b(nothing|nobody) $"  # "nothing hurts in my chest", but "nothing helps my chest pain"
    # "no one in my house has gotten into my meds" (but "no one would miss me" is no denial)
    r"|\b(no one|noone|nobody)( \w+){0,4} (has|have|had|is|was|did|ever)"
    r"( (ever|had|been|got|gotten|taken))?( (a|an|any))? $"
)
# A hedge can begin the match itself: "I wouldn't mind if I never woke up".
HEDGE_FIRST = re.compile(rf"{_HEDGE}\b")
# "Why won't the pain in my chest go away?": what won't stop is there.
STOPS_AFTER = re.compile(
    r"\s*(stop|stopping|go away|going away|ease( off| up)?|let up|settle|quit)\b"
)
# "Never had chest pain like this" is new, not denied.
NOVELTY = re.compile(r"\b(like this|this (bad|severe|strong|intense)|until (now|today))\b")
# A negation after it: "the nurse asked if I had saddle numbness and I don't."
NEGATED_AFTER = re.compile(
    r"^\w*\s*,?\s*(and|but) (i|he|she|they|we) (dont|doesnt|didnt|havent|hasnt"
    r"|do not|does not|did not|have not|has not)( have( it| that| any| one)?)?\s*$"
)
# A gap written .{0,N} in a pattern stays within one sentence and never crosses a negation:
# "my chest doesn't hurt", "the site looks clean, not red or warm", "my chest is fine but my
# back hurts" don't match. "Worse, not better" is no negation.
_GAP_STOP = (
    r"no|not(?! (any )?(better|improving|improved))|nor|never|without"
    r"|isnt|arent|wasnt|werent|dont|doesnt|didnt|havent|hasnt"
    r"|fine|okay|normal"
)
_GAP = r"(?:(?!\b(?:" + _GAP_STOP + r")\b)(?:[^.!?]|(?<=\d)\.(?=\d))){0,%s}"

# --- Hypothetical and general questions -------------------------------------------------
# In the same sentence, before the match or inside it: "what if I have an allergic reaction
# to the dye?", "is it possible to overdose on tylenol?", "do you screen for suicide risk?",
# "the nurse said to watch for redness". A bare "if" is not enough ("I don't know if I'm
# ..."). What would follow is asked in general ("what happens if someone takes too much?",
# "what would happen if I took too many?"), not what did: "what happens if my son swallowed two
# of my pills?" asks about now.
_DONE = (
    r"(i|we|he|she|they|my (\w+ )?\w+|our \w+) (just |accidentally |already )?(took|ate|chewed"
    r"|swallowed|drank|gave|got into|used|put on|doubled|mixed|sucked|licked)\b"
)
HYPOTHETICAL = re.compile(
    rf"\b(what if|what happens if(?! {_DONE})|what (would|will|could|might) happen if|in case"
    r"|risks? of|chances? of"
    r"|how (common|likely|rare|often|frequent) (is|are)"
    r"|odds of|(is it|its) true (that )?(you|people|someone|a person|one) (can|could|may|might)"
    r"|(can|could|does|do|will|would|might|may) ((?!not\b)\w+ ){0,5}ever "
    r"(cause|lead to|trigger|make|give you|raise|increase)"
    r"|is it (possible|common|dangerous|safe|likely|bad|harmful|risky) (to|for)"
    r"|what are (the |some )?(\w+ ){0,2}(signs|symptoms)"
    r"|how (do|would|can|will|should) (i|you|we|someone|people) (know|tell|recogni[sz]e|spot)"
    r"|do (you|yall|you guys|you all|your (doctors|nurses|staff)) (\w+ )?"
    r"(screen|check|test|ask|assess|evaluate|treat|handle|offer|deal with|see patients|give out"
    r"|hand out|give|carry|stock|sell|prescribe)"
    r"|screen(ing|s)? (for|patients for)|watch (out )?for|look out for|keep an eye out for"
    r"|(told|said|instructed|advised) (me |us )?to (\w+ ){0,4}if|differences? between"
    r"|asked (me |us |him |her |them )?(if|whether|about)"
    r"|(form|questionnaire|survey|paperwork|intake) (asks|asked|is asking) (me |us )?"
    r"(if|whether|about)"
    # a question about what is to come: "will my face go numb like at the dentist"
    r"|(will|would|might) (my|his|her|the|your) (\w+ ){0,2}(go|get|turn|become|feel)"
    r" (numb|weak|red|swollen|infected|dead|heavy|tingly|hot|warm)"
    r"|(whats|what is) the best (way|position|thing|exercise|stretch)"
    r"|(counts?|counted|considered|qualif(y|ies)|classed) as"
    r"|(can|could|should|may) (i|you|we|one|people|someone) (safely )?(mix|combine|drink"
    r"|take \w+ with|have \w+ with)|(ok|okay|safe|alright) (to (take|mix|drink|combine)"
    r"|with (my|his|her|the|your))"
    r"|how (can|do|should) i (sleep|sit)"
    # what to do in a case that has not come: "what should I do if I have a reaction at home?"
    r"|what (to|(should|do|would|can|shall) (i|we|you|he|she|they)) do (if|in case|when)"
    # a worry about what may come: "I'm worried my injection site might get infected"
    r"|(worried|worry|afraid|scared|concerned|nervous|anxious|fear) (that )?(\w+ ){0,4}"
    r"(might|could|may|will|would) (\w+ )?(get|become|go|turn|be|have)"
    r")\b[^.!?]*$"
)
# Whether one thing can cause another, in the same sentence before the match or inside it:
# "can a cervical epidural cause a stroke?", "could the shot make my legs numb?". Asked with
# "ever" it is always general; without, a later sentence can say it has begun (BEGUN).
CAUSAL = re.compile(
    r"\b(can|could|does|do|will|would|might|may) ((?!not\b)\w+ ){0,5}"
    r"(cause|lead to|trigger|make|give you|raise|increase)\b[^.!?]*$"
)
# Right before the match: "can you get an infection from the shot?", "what is a stroke?",
# "what does a fentanyl overdose look like?" (but not "what is this chest pain"), or a worry,
# not an event: "I'm worried about having a stroke" (but a fever with its reading is had, not
# feared: "should I be worried about a temperature of 39?").
GENERAL_BEFORE = re.compile(
    r"\bcan (you|people|someone|a person|one) ((get|develop|catch|have) (a |an |any )?(\w+ )?)?$"
    r"|\b(what|whats) ((is|are|does|do|would) )?(a |an |the )?"
    r"((?!(this|that|these|those|my|his|her|their|going|happening|wrong)\b)\w+ )?$"
)
WORRY_BEFORE = re.compile(
    r"\b(worried|worry|afraid|scared|concerned|nervous|anxious|fear) (about|of) (\w+ ){0,2}$"
)
READING = re.compile(
    r"\b(fever|temp\w*) (of |at |is |was )?(10[0-6]|3[89])(\.\d)?\b"
    r"|\b(10[0-6]|3[89])(\.\d)? ?(degrees? |f |c )?(fever|temp\w*)"
)
# A condition that has not happened, before the match in its sentence: "if I get hives after
# the shot what should I do?", "what do I do if my injection site gets red?", "if I ever feel
# suicidal, who do I call?". Asked what it means, a state is had: "what does it mean if my
# face feels numb on one side?" (but "... if I get a fever" is to come).
_IF_WHO = r"(i|you|he|she|they|someone|it|(my|the|your) (\w+ ){0,2}\w+)"
CONDITIONAL = re.compile(
    r"\bif (someone|somebody|a person|anyone|people) (is|are) "
    rf"|\bif {_IF_WHO} (ever\b|((were to "
    r"|happen to |should |start to )?(get|gets|develop|develops|start|starts|turn|turns|become"
    r"|becomes|take|takes|eat|eats|swallow|swallows)\b))"
    rf"|(?<!mean )(?<!means )\bif {_IF_WHO} (notice|notices|experience|experiences|lose|loses"
    r"|feel|feels)\b"
)
# Only in a question (the sentence ends with "?"): what may come ("can I shower or will the
# incision get infected?"), whether something is a side effect, a sign or common ("is chest
# tightness a side effect of the steroid?", "are allergic reactions to the dye common?", "is
# suicide more common with chronic pain?"), or a message that says it asks in general ("is a
# low fever normal after a stimulator trial? asking before I schedule it", "... just curious").
FUTURE = re.compile(r"\b(will|would|might) (\w+ ){0,3}(get|become)\b[^.!?]*$")
# ... unless a later sentence says it has begun: "could the block make my face droop? it came
# on at lunch", "is confusion a side effect of oxycodone? she's been talking nonsense since
# this afternoon". A time alone is not enough ("I had the shot 2 hours ago").
BEGUN = re.compile(
    r"(^|[,;]\s*|\b(it|this|that|they|these|which|and|all|symptoms) )(only |just |all |suddenly )?"
    r"(started|began|came on|happened|kicked in)(?= (at|after|while|when|during|suddenly"
    r"|all of a sudden|out of nowhere|about|around|maybe|just|right|this|tonight|today|an?|\d+"
    r"|half|few|couple|several|two|three|four|five|ten|fifteen|twenty|thirty)\b"
    r"|\s*([,;!?]|$))"
    r"|\bsince (lunch|breakfast|dinner|supper|this (morning|afternoon|evening)|last night|earlier"
    r"|(i|he|she|we) (woke|got up|sat down))\b|\b(right|just) now\b"
)
# ... or the question itself points at it: "can the new pills make my throat this tight?",
# "can anxiety cause chest pain like this?"
LIKE_THIS = re.compile(
    r"\b(like this|this (bad|badly|tight|heavy|hard|severe|strong|intense|drunk|weak|numb|dizzy"
    r"|sleepy|drowsy|confused|swollen|red|hot|crushing|sharp))\b"
)
TOPIC_BEFORE = re.compile(r"(^|[,;] ?)(is|are|can|could|does|do) $")
TOPIC_AFTER = re.compile(
    r"^\w*\s+(\w+\s+){0,2}(be )?(a |an )?(common |normal |known |possible |usual )?"
    r"(side effects?|sign|symptom|reaction)\b"
    r"|^\w*\s+(\w+\s+){0,4}(more |less |very |that |so |really )?"
    r"(common|rare|frequent|likely|unlikely|typical|dangerous|serious)\b"
)
GENERAL = re.compile(
    r"\b(just curious|curious"
    r"|asking (before|ahead|in advance|for a friend|in general|for (the )?future)"
    r"|hypothetically|in general|for future reference|before i (schedule|book|decide|sign up)"
    r"|what (does|do) (?!it mean (if|when|that)\b)(\w+ ){0,12}mean"
    r"|should (i |we )?(watch|look) (out )?for)\b"
)

# --- The past ----------------------------------------------------------------------------
# A sentence about the distant or resolved past: "I had chest pain years ago", "my heart
# attack in 2010", "as a child", "in my twenties", "clean 15 years", "it went away", "the
# doctor said it was a pulled muscle". What is over: "it went away", "fine now".
_RESOLVED = (
    r"went away|cleared up|resolved|fully recovered|all better|(fine|ok|okay|better|good|normal)"
    r" now|back to normal|gone by (the )?(morning|next day|evening|lunch)"
)
# ... and what is long past, long-standing or explained:
# A year a patient can speak of, not a clock time as staff chart it ("droop since 1900")
_YEAR = r"(19[2-9]\d|20[0-3]\d)"
_DISTANT = (
    rf"(years?|yrs|decades?) (ago|back)|was (in )?{_YEAR}|since (\w+ ){{0,2}}{_YEAR}"
    rf"|in {_YEAR}"
    r"|back in (\w+ )?((19|20)\d\d|college"
    r"|high school|school|the day|the \d0s|\d0s)|(medical |family |past )?history( of|(?=:))"
    r"|as a (child|kid|baby|teen|teenager|young \w+)|when i was (a |little|young|younger|\d+)"
    r"|in my (teens|twenties|thirties|forties|fifties|youth|\d0s)|in (college|high school)"
    r"|over a decade|(clean|sober) (for )?(\d+|a|many|several|\w+) (years?|decades?)"
    r"|(\d+|many|several) (years?|decades?) (clean|sober)|old (injury|accident|surgery|fracture)"
    r"|last (year|winter|summer|spring|fall|autumn)|long gone"
    r"|(wore|worn|wearing) off|in the ((19|20)?\d0s)"
    # long-standing and unchanged: "COPD, breathless on hills as usual", "no change", "it's been
    # like that for ages", "my usual migraine" (but not "not my usual headache")
    r"|nothing new|as usual|like always|as always|same as (usual|always|ever)|unchanged"
    r"|been (like )?(that|this) way for (years|ages|decades)|been like (that|this) for (years|ages"
    r"|decades)|(?<!not )(?<!nothing like )(?<!unlike )(my|his|her|their) usual (\w+ )?(migraine"
    r"|headache)s?"
    r"|no change(?=\s*($|[.,;!?]))|(?<!like )(?<!as )last time"
    r"|(?<!im )(?<!i am )(?<!get )(?<!got )(?<!be )(?<!getting )used to (self[- ]?harm|cut|have"
    r"|get|take|suffer|be on|use|drink)"
    r"|(?<!barely )(?<!hardly )(?<!half )(?<!semi )(?<!only just )(awake|conscious|alert"
    r"|up and about) now"
    r"|runs in (my|the) family|in the past|(a )?long (time )?ago|ages ago"
    # an event some weeks or months back: "my husband had a heart attack last month"
    r"|(had|suffered|survived) (a |an |his |her |my )?(\w+ )?(heart attack|stroke|tia"
    r"|mini[- ]?stroke|allergic reaction|anaphyla\w*|overdose|seizure|sepsis)\b[^.!?]{0,25}"
    r"\b(last (month|week)|(\d+|a|one|a few|few|several|two|three|four|five|six) (months?"
    r"|weeks?) ago)"
    r"|(doctor|doc|gp|cardiologist|dr \w+|they|er|hospital|nurse)( checked it( \w+){0,2},?)?"
    r" (said|says|told me|thinks?"
    r"|thought) (that )?(\w+ ){0,3}(was|is|were|its|im|i am) (just |only )?(a |an )?(fine|ok"
    r"|okay|normal|nothing|benign|anxiety|muscular|pulled muscle|muscle|strain|heartburn|reflux"
    r"|gas)"
    r"|\bwas (just |only )?(reflux|heartburn|indigestion|anxiety|a panic attack|gas|muscular"
    r"|costochondritis|(my )?gall ?(bladder|stones?)|a pulled muscle|a strain|nothing serious)"
)
PAST = re.compile(rf"\b({_DISTANT}|{_RESOLVED})\b")
# A stroke sign that came and went is a TIA, an emergency even when it has passed (the American
# Heart Association's advice is to call 911 even if the symptoms go away). A flag's `passed`
# signs, told in a sentence that says they passed ("my face drooped for ten minutes, fine now"),
# are discounted only by what is long past ("a mini stroke in 2019", "a TIA last year") or days
# gone by ("last week", "three days ago"), besides a negation, a hypothetical or a relative.
DISTANT = re.compile(rf"\b({_DISTANT})\b")
DAYS_AGO = re.compile(
    r"\b(the other day|last (week|month|weekend|(mon|tues|wednes|thurs|fri|satur|sun)day)"
    r"|over the weekend|(\d+|a|one|two|three|four|five"
    r"|six|a few|few|couple of|several) (days?|weeks?|months?) (ago|back))\b"
)
# A relative's history or a death, the flag right after "had" or "died of": "my father had a
# stroke", "my late husband died of an overdose", "we lost grandma to a stroke".
FAMILY = re.compile(
    r"((\b(my|our) |^\s*)((late )?(father|mother|dad|daddy|mom|mum|mama|mommy|papa|parents?"
    r"|grand\w+|brother|sister|uncle|aunt|cousin|family)s?(-in-law| in law)?"
    r"|late (husband|wife|partner|spouse))( (?!has\b)\w+)? (had|suffered|got)"
    r"|\b(someone|somebody|a character|the character|a guy|some guy|this guy|a man|a woman|a lady"
    r"|a person)( in (the|a) \w+)? (had|has|was having|is having)"
    r"|\b(died|passed away|passed|lost (?!the use\b)\w+ \w+) (of|from|to))(\s+\w+){0,3}$"
)

# --- Now ---------------------------------------------------------------------------------
# A sentence that says it is happening now counts after all, hypothetical or past ("I had
# chest pain an hour ago and it's back", "could the shot cause chest pain like I have right
# now?"), and so does a match that ends after a "but now" ("the redness went away but now
# it's draining", "had the pump put in last month and now the incision is red").
NOW = re.compile(
    r"\b((right|just) now|again|today|tonight|this (morning|afternoon|evening)"
    r"|last night|yesterday|(came|comes|coming) back|(its|it is) back|started"
    r"|(\d+|an|a few|few) (minutes?|mins?|hours?|hrs?) ago)\b"
)
NOW_BEFORE = re.compile(r"\b((but|and|until|till) now|but (this|now this|this one|it is|its) )\b")
_SENTENCE_END = re.compile(r"[!?]|\.(?!\d)")
_WORD = re.compile(r"\{([a-z_]+)\}")
MAX_CHARS = 2000  # longer messages are checked in their first part


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in a message: its name and the reply to give first."""

    name: str
    reply: str  # key under red_flags in replies.yml


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, whitespace collapsed."""
    text = (text or "")[:MAX_CHARS].lower().replace("’", "'").replace("'", "")
    return " ".join(text.split())


def compile_pattern(pattern: str, words: Mapping[str, Any] | None = None) -> re.Pattern:
    """A pattern of red_flags.yml: {word} names a list under `words`, .{0,N} is a gap."""
    words = words or {}

    def expand(match: re.Match) -> str:
        name = match.group(1)
        if name not in words:
            raise ValueError(f"red_flags.yml: unknown word {{{name}}} in {pattern!r}")
        alternatives = words[name]
        if isinstance(alternatives, str):
            alternatives = [alternatives]
        return r"\b(?:" + "|".join(str(a) for a in alternatives) + r")\b"

    for _ in range(5):  # words may name other words
        pattern = _WORD.sub(expand, pattern)
    pattern = re.sub(r"\.\{0,(\d+)\}", lambda m: _GAP % m.group(1), pattern)
    return re.compile(pattern)


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence around text[start:end] starts and ends."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return begin, after.start() if after else len(text)


def _negated(text: str, match: re.Match, end: int) -> bool:
    negation = NEGATION.search(text[: match.start()])
    if negation and (
        HEDGE_FIRST.match(text, match.start()) or STOPS_AFTER.match(text, match.end())
    ):
        negation = None
    if negation and not (
        negation.group(1) == "never" and NOVELTY.search(text[match.start() : end])
    ):
        return True
    return bool(NEGATED_AFTER.search(text[match.end() : end]))


def _begun_later(text: str, end: int) -> bool:
    """Whether a sentence after text[:end] says something began and is not long past."""
    later = text[end + 1 :]
    return any(
        BEGUN.search(sentence) and not PAST.search(sentence)
        for sentence in map(str.strip, _SENTENCE_END.split(later))
    )


def _hypothetical(text: str, match: re.Match, begin: int, end: int) -> bool:
    before, after, sentence = text[: match.start()], text[match.end() : end], text[begin:end]
    question = text[end : end + 1] == "?"
    if question and GENERAL.search(text):
        return True
    begun = question and _begun_later(text, end)
    pointed = begun or bool(LIKE_THIS.search(sentence))
    if question and (
        (not begun and FUTURE.search(text[begin : match.end()]))
        or (
            not pointed
            and TOPIC_BEFORE.search(text[begin : match.start()])
            and TOPIC_AFTER.search(after)
        )
    ):
        return True
    if NOW.search(sentence):
        return False
    condition = CONDITIONAL.search(sentence)
    return bool(
        HYPOTHETICAL.search(text[: match.end()])
        or (not pointed and CAUSAL.search(text[: match.end()]))
        or GENERAL_BEFORE.search(before)
        or (WORRY_BEFORE.search(before) and not READING.search(sentence))
        or (condition and begin + condition.start() < match.start())
    )


def _past(text: str, match: re.Match, begin: int, end: int, passed: bool = False) -> bool:
    sentence = text[begin:end]
    if NOW.search(sentence) or NOW_BEFORE.search(text[begin : match.end()]):
        return False
    if passed:
        past = DISTANT.search(sentence) or DAYS_AGO.search(sentence)
    else:
        past = PAST.search(sentence)
    return bool(past or FAMILY.search(text[begin : match.end()]))


def _discounted(text: str, match: re.Match, asked: bool = False, passed: bool = False) -> bool:
    """Whether a match is negated, hypothetical or general (unless `asked`), or in the past
    (only the distant past if `passed`)."""
    begin, end = _sentence_of(text, match.start(), match.end())
    return (
        _negated(text, match, end)
        or (not asked and _hypothetical(text, match, begin, end))
        or _past(text, match, begin, end, passed)
    )


class RedFlagDetector:
    """Finds the first red flag in a message, if any.

    A flag's `asked` patterns count even in a question or general wording ("what's the lethal
    dose of oxycodone?"); like its other patterns they don't when negated or in the past.
    Its `together` groups are signs that count only all together, each anywhere in the message
    ("my face looks odd. and my left hand won't grip"), each neither negated, hypothetical nor
    in the past. Its `passed` signs count when their sentence says they came and went (`said`:
    "my face drooped for ten minutes, fine now"), unless long past. Misspellings under
    `spellings` ("numm", "hart", "past out") are read as the word they stand for before any
    pattern is tried, and so is a why-question's word order ("why can't I lift" reads "why I
    can't lift").

    A `backstop` (clinic.red_flag_model) reads only a message no pattern found a flag in, and
    only the part of it that no look-alike explains; the kind it names gives the reply of the
    flag `learned: flags` pairs with it.
    """

    def __init__(self, config: Mapping[str, Any], backstop: Any = None):
        words = config.get("words", {})
        self._backstop = backstop
        self._learned = (config.get("learned") or {}).get("flags", {})
        self._spellings = _spellings(config.get("spellings", {}))
        self._flags = [
            (
                name,
                spec["reply"],
                [(compile_pattern(p, words), False) for p in spec["patterns"]]
                + [(compile_pattern(p, words), True) for p in spec.get("asked", [])],
                [[compile_pattern(p, words) for p in group] for group in spec.get("together", [])],
                (
                    compile_pattern(spec["passed"]["said"], words),
                    [compile_pattern(p, words) for p in spec["passed"]["signs"]],
                )
                if "passed" in spec
                else None,
            )
            for name, spec in config["flags"].items()
        ]
        self._look_alikes = [compile_pattern(p, words) for p in config.get("look_alikes", [])]
        self._replies = {name: spec["reply"] for name, spec in config["flags"].items()}
        unknown = set(self._learned.values()) - set(self._replies)
        if unknown:
            raise ValueError(f"red_flags.yml: learned: flags names no flag {sorted(unknown)}")

    def detect(self, text: str) -> RedFlag | None:
        """The red flag in `text`, or None."""
        clean = normalise(text)
        if self._spellings:
            clean = self._spellings[0].sub(lambda m: self._spellings[1][m.group(0)], clean)
        explained = False  # whether a look-alike explains part of the message
        for look_alike in self._look_alikes:
            clean, found = look_alike.subn(lambda m: " " * len(m.group(0)), clean)
            explained = explained or found > 0
        for name, reply, patterns, together, passed in self._flags:
            if (
                any(_counts(clean, pattern, asked) for pattern, asked in patterns)
                or any(all(_counts(clean, sign) for sign in group) for group in together)
                or (passed and _told_passed(clean, *passed))
            ):
                return RedFlag(name, reply)
        # The backstop reads what no look-alike explains: "my face is numb since the dentist"
        # is no emergency to it either, but "... and now my arm is weak" may be.
        kind = self._backstop.kind(clean if explained else text) if self._backstop else None
        if kind is None:
            return None
        name = self._learned.get(kind, kind)
        return RedFlag(name, self._replies[name])


def _spellings(spellings: Mapping[str, list[str]]) -> tuple[re.Pattern, dict[str, str]] | None:
    """One pattern for every misspelling, longest first, and the word each stands for."""
    meant = {normalise(wrong): word for word, wrongs in spellings.items() for wrong in wrongs}
    if not meant:
        return None
    wrongs = sorted(meant, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, wrongs)) + r")\b"), meant


def _counts(text: str, pattern: re.Pattern, asked: bool = False) -> bool:
    """Whether `pattern` matches somewhere in `text` without being discounted."""
    return any(not _discounted(text, match, asked) for match in pattern.finditer(text))


def _told_passed(text: str, said: re.Pattern, signs: list[re.Pattern]) -> bool:
    """Whether one of `signs` is told as come and gone (`said` in its sentence) and counts even
    so: neither negated, hypothetical, a relative's, nor long past."""
    if not said.search(text):  # cheap, and most messages say nothing passed
        return False
    for sign in signs:
        for match in sign.finditer(text):
            begin, end = _sentence_of(text, match.start(), match.end())
            if said.search(text, begin, end) and not _discounted(text, match, passed=True):
                return True
    return False
