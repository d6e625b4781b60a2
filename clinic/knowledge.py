"""Answer a patient's message from the clinic's content.

`Knowledge.respond` takes what the NLU understood (intent, confidence, the raw text) and the
topic under discussion, and returns the reply: only the clinic's own words, an honest "the
clinic's information doesn't cover that" with the phone number, or a conversation reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clinic.content import Content, Topic
from clinic.sms import SMS_LIMIT, split_for_sms
from clinic.terms import TermFinder

# Below this NLU confidence, an answer from the article needs evidence in the message (a
# treatment, condition or symptom, typos allowed); without it the message is treated as not
# understood rather than risk answering an off-topic question with an article passage.
# Tuned on CLINC150's oos validation split (bench/tune_evidence.py).
EVIDENCE_THRESHOLD = 0.6

# "How can I ...?" questions about anything look like asking how to reach the clinic: its
# phone number is given only when the message mentions calling, visits or the clinic (and
# the "not understood" reply gives the number anyway).
ALWAYS_GUARDED_TOPICS = ("contact",)
# The patient addressing the clinic ("your number", "how do I reach you"), or asking for "the
# number" ("what number do I call?", "phone number?") but not about their own phone.
_TO_US = re.compile(r"\b(you|your|yours|u|ur|yall|y'all)\b")
_THE_NUMBER = re.compile(r"\b(what|whats|which)\b.*\bnumber\b|^\W*(ph|phone)?\W*(number|no|#)\W*$")
_MINE = re.compile(r"\b(my|mine|mom|dad)\b")
FALLBACK_INTENT = "nlu_fallback"
CONVERSATION_INTENTS = (
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "help",
    "deny",
    "stop",
    "out_of_scope",
)
# Replies that are safe for a short message the classifier is unsure of (see respond).
SMALL_TALK = ("greet", "goodbye", "thank", "affirm", "deny", "bot_challenge")
SMALL_TALK_WORDS = 3
NOT_COVERED_INTENTS = (
    "ask_cost",
    "ask_side_effects",
    "ask_recovery",
    "ask_personal_advice",
    "ask_not_covered",
)
FOLLOW_UP_INTENTS = ("ask_how_long_lasts", "ask_how_it_works", "ask_more_detail", "affirm")


@dataclass(frozen=True)
class Reply:
    """What to say, the quick replies to offer, and the conversation state afterwards."""

    texts: list[str]
    buttons: list[dict] = field(default_factory=list)
    topic: str | None = None
    detail_shown: bool = False


class Knowledge:
    """The clinic's answers, looked up by what the patient asked."""

    def __init__(self, content: Content, finder: TermFinder | None = None):
        self.content = content
        self.finder = finder or TermFinder(content.terms)

    # -- public -------------------------------------------------------------------------
    def disclosure(self) -> str:
        """The first message of every conversation: an automated assistant, no medical advice."""
        return self.content.reply("disclosure")

    def intents(self) -> list[str]:
        """Every intent this class knows how to answer (the domain must list the same)."""
        topics = [f"ask_{key}" for key in self.content.topics]
        return [
            *topics,
            *FOLLOW_UP_INTENTS,
            *NOT_COVERED_INTENTS,
            *CONVERSATION_INTENTS,
            FALLBACK_INTENT,
            "inform",  # an answer to a form question, outside the form: not understood
        ]

    def respond(
        self,
        intent: str,
        confidence: float,
        text: str,
        topic: str | None = None,
        detail_shown: bool = False,
        ranking: list[dict] | None = None,
    ) -> Reply:
        """The reply to one message, given the topic under discussion (if any).

        `ranking` is the NLU's intent ranking: when it was too unsure to name an intent
        (nlu_fallback), or took a question for a form answer (inform), a topic among its best
        guesses is still answered if the message names that topic, or if it is the best
        guess and the message names a treatment, condition, symptom or visit.
        """
        if intent in (FALLBACK_INTENT, "inform") and ranking:
            intent, confidence = self._best_topic_guess(ranking, intent, confidence, text)
        if intent == FALLBACK_INTENT and ranking:
            intent = self._small_talk_guess(ranking, text) or intent
        named = [key for key in self.finder.topics(text or "") if key in self.content.topics]
        key = intent.removeprefix("ask_")
        if intent.startswith("ask_") and key in self.content.topics:
            guarded = confidence < EVIDENCE_THRESHOLD or key in ALWAYS_GUARDED_TOPICS
            if guarded and not self._evidence(key, text or ""):
                return self._say("not_understood", topic)
            if (
                key == "compare"
                and not named
                and topic is None
                and not self.finder.is_about_the_clinic(text or "")
            ):
                # "are brown and white eggs different?" is no question about injections
                return self._say("which_topic", topic)
            return self._topic_question(key, named)
        if (
            intent in ("ask_how_long_lasts", "ask_how_it_works")
            and topic is None
            and confidence < EVIDENCE_THRESHOLD
            and not self.finder.is_about_the_clinic(text or "")
        ):
            # "how long does it take to become an architect?" is no follow-up
            return self._say("not_understood", topic)
        if intent == "ask_how_long_lasts":
            return self._lasts(self._subject(named, topic))
        if intent == "ask_how_it_works":
            subject = self._subject(named, topic)
            return self._answer(subject) if subject else self._say("which_topic", topic)
        if intent in ("ask_more_detail", "affirm"):
            if topic is None or topic not in self.content.topics:
                return self._say("help" if intent == "affirm" else "which_topic", None)
            return self._detail(topic, detail_shown)
        if intent in NOT_COVERED_INTENTS:
            return self._say(f"not_covered.{key}", topic)
        if intent in CONVERSATION_INTENTS:
            return self._say(intent, topic)
        return self._say("not_understood", topic)

    def _best_topic_guess(
        self, ranking: list[dict], intent: str, confidence: float, text: str
    ) -> tuple[str, float]:
        guesses = [r for r in ranking if r.get("name") not in (FALLBACK_INTENT, "inform", None)]
        named = self.finder.topics(text or "")
        for position, guess in enumerate(guesses[:3]):
            key = guess["name"].removeprefix("ask_")
            if key in self.content.topics and (position == 0 or key in named):
                # kept below EVIDENCE_THRESHOLD, so answered only with evidence in the message
                return guess["name"], min(float(guess["confidence"]), EVIDENCE_THRESHOLD / 2)
        return intent, confidence

    def _small_talk_guess(self, ranking: list[dict], text: str) -> str | None:
        """A short unsure message whose best guess is small talk ("gtg", "okey dokey") gets
        the small-talk reply: harmless if wrong, unlike an answer from the article.

        A form answer (inform) is no guess here: outside a form it is never answered, and a
        short message that looks like one ("noo": inform, then deny) is better read by the
        next guess."""
        skipped = (FALLBACK_INTENT, "inform", None)
        guesses = [r["name"] for r in ranking if r.get("name") not in skipped]
        if not guesses or guesses[0] not in SMALL_TALK or len(text.split()) > SMALL_TALK_WORDS:
            return None
        return None if self.finder.is_about_the_clinic(text) else guesses[0]

    def is_for_the_clinic(self, confidence: float, text: str) -> bool:
        """Whether a request to book, cancel or move is for the clinic: the classifier is sure,
        or the message names the clinic's subject ("book another boat" is not)."""
        return confidence >= EVIDENCE_THRESHOLD or self.finder.is_about_the_clinic(text or "")

    def _evidence(self, key: str, text: str) -> bool:
        """Whether the message shows it is about the clinic, for an answer on topic `key`."""
        if key in ALWAYS_GUARDED_TOPICS:
            # "add mary to my phone plan" is no question for the clinic; "what's your number",
            # "can I talk to the nurse" or "how do I book an appointment" are.
            lower = text.lower()
            if _TO_US.search(lower) or (_THE_NUMBER.search(lower) and not _MINE.search(lower)):
                return True
            return self.finder.is_about_the_clinic(text, ignoring=("contact",))
        return self.finder.is_about_the_clinic(text)

    # -- the kinds of reply -------------------------------------------------------------
    def _topic_question(self, key: str, named: list[str]) -> Reply:
        treatments = [k for k in named if self.content.topics[k].is_treatment]
        if key == "compare" or (self.content.topics[key].is_treatment and len(treatments) >= 2):
            return self._compare(treatments)
        if self.content.topics[key].is_treatment and len(treatments) == 1:
            # The classifier may confuse two treatments; the named one is what was asked about.
            key = treatments[0]
        return self._answer(key)

    def _compare(self, treatments: list[str]) -> Reply:
        pair = set(treatments[:2])
        if len(pair) < 2 or pair == {"facet", "trigger_point"}:
            if len(treatments) == 1 and treatments[0] not in ("facet", "trigger_point"):
                return self._answer(treatments[0])
            return self._answer("compare")
        first, second = (self.content.topics[k] for k in treatments[:2])
        return self._with_offer(f"{first.summary} {second.summary}", "compare")

    def _answer(self, key: str) -> Reply:
        return self._with_offer(self.content.topics[key].answer, key)

    def _lasts(self, key: str | None) -> Reply:
        found: Topic | None = self.content.topics.get(key or "")
        if found is None or not (found.is_treatment or found.lasts or key == "compare"):
            found = self.content.topics["treatments"]  # "how long does it last" of injections
            key = found.key
        if found.lasts:
            return self._with_offer(found.lasts, key)
        return self._say("not_covered.lasts", key, topic_name=found.name)

    def _detail(self, key: str, detail_shown: bool) -> Reply:
        found = self.content.topics[key]
        if detail_shown:
            return self._say("not_covered.detail", key, topic_name=found.name)
        texts = []
        for passage_id in found.passages:
            texts.extend(split_for_sms(self.content.passages[passage_id].text))
        return Reply(
            texts=["From the clinic's article:", *texts],
            buttons=[self.content.replies["offer_buttons"][1]],
            topic=key,
            detail_shown=True,
        )

    def _with_offer(self, text: str, key: str) -> Reply:
        offer = self.content.reply("offer")
        full = f"{text} {offer}"
        texts = [full] if len(full) <= SMS_LIMIT else [*split_for_sms(text), offer]
        return Reply(texts=texts, buttons=list(self.content.replies["offer_buttons"]), topic=key)

    def _say(self, reply_key: str, topic: str | None, topic_name: str = "") -> Reply:
        return Reply(texts=[self.content.reply(reply_key, topic=topic_name)], topic=topic)

    def _subject(self, named: list[str], topic: str | None) -> str | None:
        """What a follow-up is about: a topic the message names, else the one discussed."""
        return named[0] if named else topic
