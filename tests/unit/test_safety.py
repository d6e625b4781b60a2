"""clinic.safety: red flags found in plain, paraphrased and misspelt words; look-alikes not."""

from __future__ import annotations

import pytest

from bench.red_flags_dev import DEV_SETS, load_set, measure
from clinic.safety import RedFlagDetector, compile_pattern
from tests.conftest import ROOT
from tests.nlu.examples import read_examples


@pytest.fixture(scope="module")
def detector(content) -> RedFlagDetector:
    return RedFlagDetector(content.red_flags)


# Kinds of wording the dev4 set showed missing: goodbyes and affairs in order, means asked
# about, understated or non-native bladder wording, "everything is double", the injection
# "site" of an earlier sentence, and look-alikes (billing jokes, stifling heat, moon face).
DEV4_KINDS = [
    ("I've left notes for my children in the drawer", "suicide"),
    ("wrote a letter to each of my kids last night", "suicide"),
    ("this will be my final message, thank you all", "suicide"),
    ("I gave my cat away yesterday and put my affairs in order", "suicide"),
    ("I won't be a burden to anyone for much longer", "suicide"),
    ("I won't be around to see my grandkids graduate", "suicide"),
    ("my family would be relieved if I was gone", "suicide"),
    ("I just don't see the point any more", "suicide"),
    ("honestly I don't care if I wake up tomorrow", "suicide"),
    ("whats the fatal dose of tramadol", "suicide"),
    ("what is the most painless way to die", "suicide"),
    ("I'm going to take everything in the medicine cupboard", "suicide"),
    ("Googled how many paracetamol it takes", "suicide"),
    ("trouble holding my wee since yesterday, back is sore", "bladder_bowel"),
    ("havent peed in 12 hours and my back is agony", "bladder_bowel"),
    ("he is not able to make urine since two days", "bladder_bowel"),
    ("he can't tell if he needs the toilet any more", "bladder_bowel"),
    ("numb between legs since lunch", "saddle_numbness"),
    ("couldn't feel myself having a poo", "saddle_numbness"),
    ("things went double suddenly", "stroke"),
    ("she's talking nonsense since this morning", "stroke"),
    ("one side of my body feels like it doesn't belong to me", "stroke"),
    ("can no breathe", "breathing"),
    ("I can't get a proper breath since the injection", "breathing"),
    ("found him next to an empty pill bottle", "overdose"),
    ("my toddler found my fentanyl patch and was chewing on it", "overdose"),
    ("how much ibuprofen is safe? I took 12 so far today", "overdose"),
    ("since the epidural I feel flu-like and the site is hot to touch", "infection"),
    ("Question about the bill. The site is oozing and I have a fever", "infection"),
    ("where they injected it is worse not better and there's pus", "infection"),
]

# Kinds of wording dev5 and dev6 showed missing, in words of their own: a relative's chest
# pain that "has had" lasted, a site fine at first, a racing heart with a faint, one side
# "switched off", narcan given, a child at the pills, a count asked after, goodbyes.
DEV56_KINDS = [
    ("my dad has had chest pain for an hour", "chest_pain"),
    ("my heart was pounding and then I blacked out in the kitchen", "chest_pain"),
    ("the injection site has been fine but now it's red and hot", "infection"),
    ("the spot where I had the shot is red and swollen and oozing", "infection"),
    ("my temp is 102 and I'm shaking with chills", "infection"),
    ("the right side of my body just shut down", "stroke"),
    ("I can't co-ordinate my left hand, keeps dropping things, came on an hour ago", "stroke"),
    ("we sprayed the narcan up his nose and he's barely breathing", "overdose"),
    ("my toddler swallowed some of my gabapentin", "overdose"),
    ("can I have another oxy? already had seven of them today", "overdose"),
    ("I put on three of my fentanyl patches at once", "overdose"),
    ("he keeps saying we won't have to look after him for much longer", "suicide"),
    ("I'm just a burden, everyone would be better off w/o me", "suicide"),
    ("cant pass the pee since last night, back is agony", "bladder_bowel"),
    ("both legs are numb, both of them, and I can't stand", "leg_weakness"),
]

# ... and look-alikes of those kinds that must stay quiet.
DEV56_LOOK_ALIKES = [
    "I take my gabapentin twice a day",
    "I take gabapentin and tramadol and they make me dizzy, is that normal?",
    "can I have another appointment? I've already had six sessions",
    "I took the rest of my ibuprofen yesterday, need a refill",
    "my son had some of my tylenol for his headache",
    "I can't feel my right leg after the nerve block this morning",
    "my leg is numb on the same side as my back pain",
    "I gave my dog to my sister while I recover from surgery",
    "I'm going to end it with my physio, she's useless",
    "I wish I could not wake up at 4am every night from the pain",
    "the band-aid left a red mark from the adhesive",
    "my arm went numb from sleeping on it but came back after I shook it",
    "I'd rather die than go to the hospital again, they lost my notes",
    "what would happen if I took too many of my muscle relaxers?",
]

# ... and look-alikes of those kinds that must stay quiet.
DEV4_LOOK_ALIKES = [
    "I've written notes for my kids' school trip",
    "I wrote letters to my insurance company twice",
    "this is my last message about the bill, please fix it",
    "we gave away the old sofa",
    "I won't be around next week, on holiday",
    "I don't see the point of physio any more",
    "I don't care if I wait, just book me in",
    "what's the lethal dose of caffeine for a dog?",
    "whats the easiest way to go to the clinic from the station",
    "I haven't had a bowel movement in 3 days since the oxycodone, constipated",
    "havent had a poo since monday, constipated from the codeine",
    "the site is down, I can't log in to book",
    "I had 12 ibuprofen tablets left, need a refill",
    "my leg is not better after the block, still sore",
    "if I have to call billing one more time I'll kill myself lol",
    "I'd rather die than sit on hold again haha",
    "I've overdosed on Netflix this weekend",
    "I can't breathe when I see your prices",
    "the heat is suffocating in the waiting room",
    "my face looks rounder and puffy since the steroid shots",
    "what should I do if I get hives after I go home?",
    "my chest gets tight with nerves before every injection",
    "he was slurring at the pub after his birthday",
]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("I can't control my bladder since this morning", "bladder_bowel"),
        ("i peed myself and didnt even feel it", "bladder_bowel"),
        ("Loss of bowel control after my back pain got worse", "bladder_bowel"),
        ("my groin and inner thighs went numb", "saddle_numbness"),
        ("I have no feeling between my legs", "saddle_numbness"),
        ("my legs keep giving out when I stand", "leg_weakness"),
        ("my legs are getting weaker by the hour", "leg_weakness"),
        ("sciatica down both legs now", "sciatica_both_legs"),
        ("I have chest pain", "chest_pain"),
        ("there's a crushing pressure in my chest", "chest_pain"),
        ("my face is drooping and my words are slurred", "stroke"),
        ("I think I'm having a stroke", "stroke"),
        ("I can't breathe", "breathing"),
        ("my throat feels like it's closing after the injection", "breathing"),
        ("I'm getting hives and my lips are swollen", "breathing"),
        ("I took too many of my pain pills", "overdose"),
        ("I think I overdosed on my meds", "overdose"),
        ("I want to kill myself", "suicide"),
        ("i dont want to be alive anymore", "suicide"),
        (
            "sometimes I think everyone would be better off if I was dead, I'm better off dead",
            "suicide",
        ),
        ("I've been having suicidal thoughts", "suicide"),
        ("I have a fever since my injection on Monday", "infection"),
        ("the shot site is red, hot and swollen", "infection"),
        ("there's pus oozing where I got the shot", "infection"),
        ("my back is killing me and I want to end it all", "suicide"),
        ("I don't know if I'm having a heart attack", "chest_pain"),
        ("I haven't been able to pee since yesterday", "bladder_bowel"),
        ("it's numb down there", "saddle_numbness"),
        ("I can't feel my legs", "leg_weakness"),
        ("feels like an elephant sitting on my chest", "chest_pain"),
        ("I suddenly can't move my arm", "stroke"),
        ("I can't get enough air", "breathing"),
        ("I took double my dose by mistake", "overdose"),
        ("I keep thinking about ending my life", "suicide"),
        ("life isn't worth living anymore", "suicide"),
        ("running a fever after the nerve block", "infection"),
        ("I've had accidents with my bowels since yesterday", "bladder_bowel"),
        ("pain shooting down both legs and numbness", "sciatica_both_legs"),
        ("I have thoughts of killing myself", "suicide"),
        ("I don't see a reason to live", "suicide"),
        ("where they gave me the shot is swollen and warm", "infection"),
        ("I had chest pain an hour ago and it's back", "chest_pain"),
        ("what if I have an allergic reaction? my throat is closing right now", "breathing"),
        # relatives and carers write in the third person
        ("my grandfather can't feel his legs and soiled himself", "bladder_bowel"),
        ("my aunt says it's like a brick on her chest", "chest_pain"),
        ("her mouth looks lopsided and she can barely speak", "stroke"),
        ("his lips are going blue", "breathing"),
        ("my brother says he wants to end his life", "suicide"),
        # drug names, amounts and what an overdose looks like
        ("I swallowed about 15 of my flexeril", "overdose"),
        ("my nephew got into my percocet", "overdose"),
        ("took a triple dose of lyrica this morning", "overdose"),
        ("he's been taking extra xanax and now he's hard to wake", "overdose"),
        ("she keeps nodding off at the table", "overdose"),
        ("I wore two butrans patches at once", "overdose"),
        # typos and shorthand
        ("cant breth", "breathing"),
        ("my words are slured", "stroke"),
        ("i think i took an overdoes", "overdose"),
        # suicide, said many ways; an overdose planned is a crisis first
        ("I plan to take the whole bottle of my pills tonight", "suicide"),
        ("i've been stockpiling my pills", "suicide"),
        ("no one would care if i was gone", "suicide"),
        ("I'm done with living", "suicide"),
        ("i keep hitting myself until it bleeds", "suicide"),
        # infection after a procedure
        ("my temperature is 102 since the radiofrequency ablation", "infection"),
        ("the stitches from my implant are weeping and smell", "infection"),
        ("the block site has a hot hard knot", "infection"),
        # stroke and sudden symptoms
        ("all of a sudden I can't see out of my right eye", "stroke"),
        ("a sudden splitting headache, the worst ever", "stroke"),
        ("his arm and leg went weak on the left side", "stroke"),
        # the emergency is now, though the sentence names the past
        ("The redness at the shot site had gone down but now there's pus", "infection"),
        ("I've never had chest pain this bad", "chest_pain"),
        # retention, accidents and saddle numbness in plain words
        ("my father's bladder won't empty and his back is awful", "bladder_bowel"),
        ("I keep having accidents since my back gave out", "bladder_bowel"),
        ("urinary retention since this morning", "bladder_bowel"),
        ("I can't feel a thing when I sit on the loo", "saddle_numbness"),
        ("she has saddle anaesthesia", "saddle_numbness"),
        ("my legs have both gone numb", "leg_weakness"),
        # the heart: something heavy on the chest, pain elsewhere with a cold sweat, nitro
        ("it feels like a car parked on my chest", "chest_pain"),
        ("my jaw aches and I'm in a cold sweat", "chest_pain"),
        ("the nitro hasn't helped at all", "chest_pain"),
        # stroke in lay words, from relatives; what won't stop is no negation
        ("grandma keeps using the wrong words", "stroke"),
        ("his right side has gone dead", "stroke"),
        ("she's lost the use of her right hand", "stroke"),
        ("he's seeing double", "stroke"),
        ("half of my vision has gone black", "stroke"),
        ("my husband just keeled over", "stroke"),
        ("all of a sudden I lost my balance and the room is spinning", "stroke"),
        ("he is confused and his left hand is clumsy", "stroke"),
        ("my husband won't stop slurring his words", "stroke"),
        # breathing
        ("I can only take small breaths", "breathing"),
        ("my inhaler isn't helping", "breathing"),
        ("the baby is turning blue", "breathing"),
        # overdoses: containers, children, patches, alcohol, amounts against the label
        ("I took a whole blister pack of co-codamol", "overdose"),
        ("my toddler chewed on one of my duragesic patches", "overdose"),
        ("I had five beers and then two of my valium", "overdose"),
        ("she took way over the prescribed amount of her tramadol", "overdose"),
        ("my son had three times the normal dose of his methadone", "overdose"),
        ("I put on a fresh fentanyl patch without removing the old one", "overdose"),
        ("he's slumped over after his pain meds", "overdose"),
        ("I took 6 norco in two hours", "overdose"),
        ("I went through a week's worth of oxycodone in 2 days", "overdose"),
        # suicide said indirectly
        ("my wife says we'd be better off if she just vanished", "suicide"),
        ("I can't see any way out", "suicide"),
        ("there are enough pills in the house to do it", "suicide"),
        ("I'm ready to end my misery", "suicide"),
        ("I've been burning my arms to cope", "suicide"),
        ("there's no reason for me to go on", "suicide"),
        ("I looked up the lethal dose of my gabapentin", "suicide"),
        ("I wouldn't mind if I never woke up", "suicide"),
        # infection: Celsius, a procedure some days ago, a wound that opens
        ("38.6 C since the epidural", "infection"),
        ("shivering all night, had the block on Monday", "infection"),
        ("the scar over my stimulator battery has split open", "infection"),
        ("I've got a temp of 101 and the injection spot hurts", "infection"),
        # lay, misspelt and indirect wording (the third dev set's kinds, in other words)
        (
            "Dear doctor, my wife can no longer hold her water, her back is very bad",
            "bladder_bowel",
        ),
        ("he has not passed urine in 12 hours and his legs are numb", "bladder_bowel"),
        ("I'm going to the toilet but nothing comes and my back hurts so much", "bladder_bowel"),
        ("pooed myself without realising", "bladder_bowel"),
        ("urine retention since 2 days", "bladder_bowel"),
        ("numb undercarriage since the disc went", "saddle_numbness"),
        ("Doctor, I have lost feeling in the area I sit on", "saddle_numbness"),
        ("I have no sensation when I go to the bathroom", "saddle_numbness"),
        ("legs feel like lead, both of them, can hardly walk, started today", "leg_weakness"),
        ("my legs have both packed in, I can't stand up", "leg_weakness"),
        ("my father's legs have gone, he can't get out of bed and he's wet", "leg_weakness"),
        ("the numbness is spreading from my butt down both legs", "sciatica_both_legs"),
        ("both leg very weak today", "sciatica_both_legs"),
        ("painful chest for an hour", "chest_pain"),
        ("it feels like someone is squeezing my heart", "chest_pain"),
        ("chest pane wont go away", "chest_pain"),
        ("my wife cant raise her left arm", "stroke"),
        ("her face has gone funny on one side", "stroke"),
        ("her left side is paralysed", "stroke"),
        ("dad's talking like he's drunk but he hasn't had anything", "stroke"),
        ("my husband's words don't make sense", "stroke"),
        ("my left arm feels numb and weak and my face is tingling", "stroke"),
        ("my arm feels dead and i can't grip anything, it just came on", "stroke"),
        ("I know what I want to say but it comes out wrong", "stroke"),
        ("I am finding it difficult to breathe", "breathing"),
        ("i'm having trouble getting air", "breathing"),
        ("breathing difficulties since the procedure", "breathing"),
        ("my windpipe feels like it is closing", "breathing"),
        ("took a lot of my gabapentin", "overdose"),
        ("my husband swallowed all his sleeping tablets", "overdose"),
        ("my son drank some of my methadone", "overdose"),
        ("i took my sleeping pills and my oxycodone together with a lot of wine", "overdose"),
        ("I took my dose twice", "overdose"),
        ("the toddler had one of my pills in his mouth", "overdose"),
        # passive wishes to die and indirect words go to the crisis line
        ("I hope I die in my sleep", "suicide"),
        ("I pray every night that God takes me", "suicide"),
        ("i've had enough of life", "suicide"),
        ("death would be a relief", "suicide"),
        ("there's no way out for me", "suicide"),
        ("i dont think i can go on", "suicide"),
        ("i wish i could just not exist", "suicide"),
        ("I feel like dying", "suicide"),
        ("i want to kms", "suicide"),
        ("no point going on", "suicide"),
        # infection: misspelt, European words, a site that is hot
        ("fevr and chils after my shot", "infection"),
        ("the site of the infiltration is red and hot", "infection"),
        ("hot swollen knee after the injection", "infection"),
        ("there's a lump where I was injected and it's hot", "infection"),
        ("I feel hot and shivery and my injection site is sore, had it 3 days ago", "infection"),
    ]
    + DEV4_KINDS
    + DEV56_KINDS,
)
def test_red_flags_are_found(detector, text, flag):
    found = detector.detect(text)
    assert found is not None and found.name == flag


@pytest.mark.parametrize(
    "text",
    [
        "my back is killing me",
        "I'm dying to know how facet injections work",
        "what is a nerve block?",
        "what is a sympathetic nerve block used for",
        "no chest pain, just my lower back",
        "I don't have a fever",
        "is the shot painful?",
        "does the contrast dye cause allergies?",
        "my neck is stiff",
        "I could die of embarrassment asking this",
        "how long does relief from an epidural last",
        "the pain in my leg is bad today",
        "what if I have an allergic reaction to the dye?",
        "burning pain in both feet",
        "do injections cause allergic reactions",
        "I had chest pain years ago but it's fine now",
        "my heart attack was in 2010, can I still get an ESI",
        "what's the risk of infection from a facet injection",
        # general questions, worries and instructions
        "could an epidural ever make you lose bladder control?",
        "what are the symptoms of an overdose on opioids?",
        "do you check patients for depression and suicide risk?",
        "if my husband develops a fever after the block, who should he call?",
        "is facial flushing a side effect of the steroid?",
        "I'm nervous about getting an infection from the stimulator",
        "my doctor told me to go to the ER if I ever lose bladder control",
        "can you overdose on muscle relaxers?",
        # reported negatives
        "incision looks dry, not red or swollen",
        "I'm not thinking about hurting myself",
        "I don't want to die, I want my life back",
        "the pharmacist asked if I had trouble breathing and I don't",
        "my chest is fine but my knees ache",
        # idioms
        "that bill nearly gave me a heart attack",
        "I cut myself shaving before the appointment",
        "my face went numb for an hour after the occipital block",
        # family history and a past that is over
        "my grandmother had a stroke at 70",
        "we lost my uncle to an overdose",
        "I was suicidal as a teenager but I'm fine now",
        "I had hives from a bee sting when I was a kid",
        "back in the 90s I overdosed once, 20 years sober now",
        "the ER said my chest pain was just reflux",
        # negations the first round missed, questions about what is common or safe
        "I wouldn't end my life, I promise",
        "zero numbness down there and my bladder is fine",
        "is it safe to have a beer with my tramadol?",
        "are infections after epidurals common?",
        "if I ever feel suicidal I know to call 988",
        "what counts as a high fever after an implant?",
        # look-alikes of the new rules
        "I nearly had a stroke when I saw the bill",
        "I'm choking back tears",
        "my husband took my prescription to the pharmacy",
        "my doctor upped my gabapentin to 600",
        "I get out of breath walking up stairs, always have",
        "my bottom goes numb on long car rides",
        "numbness from my buttock down to my heel, my usual sciatica",
        "the site is a little red, nothing else",
        "my face went red after the steroid shot",
        "I left the car running in the garage to warm it up",
        "my feet have been burning again at night",
        "I had a fever from a cold before my injection",
        "I lost the use of my hand for an hour after the block",
        "my legs felt like jelly after the gym",
        "I drank two beers and took my usual gabapentin",
        # look-alikes of the wider wording: idioms, history, questions, everyday things
        "I wanted to die of embarrassment when I fell asleep in the waiting room",
        "I had an allergic reaction to contrast dye in the past, please note it",
        "my husband had a heart attack last month and I'm his carer",
        "does a spinal cord stimulator cause incontinence?",
        "my lip is swollen because I bit it at dinner",
        "I'm worried my injection site might get infected",
        "I took all my pills this morning as usual",
        "I take my tramadol twice a day",
        "I had a stroke of luck, my insurance covers it",
        "I can't stand the pain anymore, when is my next injection?",
        "I don't want to live with this pain, can you help me find a treatment?",
        "I don't want to carry on with the gabapentin, it makes me dizzy",
        "I'm not going to be around next week, can I reschedule?",
        "I want this pain to go away forever",
        "my husband took my pills to the pharmacy",
        "I can't lift my right arm above my head since the frozen shoulder",
        "my hands and feet tingle from neuropathy",
        "pain in both legs from arthritis for years",
        "I need to pee a lot at night, I'm 75",
        "I'm so tired I could sleep for a week",
        "my heart sank when I saw the waiting list",
        "swelling went down after the injection",
        "",
        "🙂🙂🙂",
        "x" * 100_000,
    ]
    + DEV4_LOOK_ALIKES
    + DEV56_LOOK_ALIKES,
)
def test_look_alikes_are_not_red_flags(detector, text):
    assert detector.detect(text) is None


@pytest.mark.parametrize("name", DEV_SETS)
def test_the_dev_sets_the_rules_were_tuned_on_stay_caught_and_quiet(detector, content, name):
    """Every dev set stays caught with no false alarm (but for the misses left on purpose): a
    new rule can't undo an old one."""
    replies = {flag: spec["reply"] for flag, spec in content.red_flags["flags"].items()}
    result = measure(detector, replies, load_set(name))
    assert result["positives"] and result["negatives"]
    missed = {text for text, _ in result["missed"]}
    alarmed = {text for text, _ in result["false_alarms"]}
    assert (missed, alarmed) == (LEFT_MISSED.get(name, set()), LEFT_ALARMED.get(name, set()))


def test_everyday_messages_that_share_the_flags_words_raise_no_alarm(detector):
    """bench/data/red_flags_ordinary.yml: medicines as directed, absent or expected symptoms,
    chronic ones, history, idioms, questions and paperwork, written blind to the rules."""
    examples = load_set("ordinary")
    assert len(examples) > 400 and {e["flag"] for e in examples} == {"none"}
    assert [e["text"] for e in examples if detector.detect(e["text"])] == []


# Dev-set messages left unalarmed on purpose, each for a reason:
LEFT_MISSED = {
    "dev9": {
        # one stroke sign told only through a slip of the pen and of the tongue ("check" comes
        # out "chick"): no rule for it would stay quiet on ordinary typos
        "went to write a check for the lady and my hand wrote scribble, and when i say check it"
        " comes out chick",
        # a goodbye and thanks to the nurses is also how patients who move away or change
        # clinics write; with nothing else said, it stays a goodbye
        "this is to say goodbye and thank you to the nurses, you were always kind to me",
    },
    "dev10": {"goodbye, and thanks for everything Dr Patel"},  # as above: the end of many chats
    # chest pressure said inside "she didn't say anything about ...": read as negated; the
    # learned backstop is what catches it
    "dev12": {
        "the nurse said a flushed face is normal after the steroid but she didn't say anything"
        " about chest pressure and my left arm aching"
    },
    # a goodbye passed on to the doctor, with nothing else said: also how patients who move
    # away or change clinics sign off (as dev9's and dev10's goodbyes)
    "dev15": {"can you tell my doctor I said goodbye"},
    # a limb that won't move on waking, told after "not pins n needles": a gap never crosses a
    # negation; the learned backstop catches it
    "dev20": {"woke up and my arm is dead weight left side not pins n needles it wont move"},
}
# ... and alarmed on purpose: a relative's infection named long after "got" reads as the
# patient's own; a rule that read it as history would also hide a relative's current one.
LEFT_ALARMED = {
    "dev12": {
        "My cousin got a bad infection from a back injection at another clinic. What do you do"
        " to prevent that?"
    },
}


def test_a_gap_stays_in_its_sentence_and_never_crosses_a_negation():
    pattern = compile_pattern(r"chest\b.{0,30}\bpain")
    assert pattern.search("my chest has a sharp pain")
    assert not pattern.search("my chest is ok. the pain is in my back")
    assert not pattern.search("my chest, no pain")
    assert compile_pattern(r"temp.{0,20}\b102").search("temp is 101.8, now 102")


def test_words_name_lists_of_alternatives():
    words = {"drug": ["oxycodone", "norcos?"], "meds": ["pills", "{drug}"]}
    pattern = compile_pattern(r"took ten {meds}", words)
    assert pattern.search("i took ten norcos") and pattern.search("i took ten pills")
    assert not pattern.search("i took ten norcosx")
    with pytest.raises(ValueError, match="unknown word"):
        compile_pattern(r"took {drugs}", words)


def test_replies_name_911_988_and_the_clinic(content):
    assert "911" in content.reply("red_flags.emergency")
    assert "988" in content.reply("red_flags.crisis") and "911" in content.reply("red_flags.crisis")
    assert "972-596-1059" in content.reply("red_flags.infection")


def test_every_red_flag_training_example_is_confirmed_by_the_detector(detector):
    """DIET learns red_flag too, but only the detector's confirmation counts."""
    examples = [t for t, i in read_examples(ROOT / "data" / "nlu.yml") if i == "red_flag"]
    assert examples
    assert [t for t in examples if detector.detect(t) is None] == []


def test_no_other_training_example_raises_a_red_flag(detector):
    others = [t for t, i in read_examples(ROOT / "data" / "nlu.yml") if i != "red_flag"]
    assert [t for t in others if detector.detect(t)] == []


def test_asked_patterns_count_in_a_question_but_not_when_negated(content):
    config = {
        "flags": {
            "suicide": {"reply": "crisis", "patterns": [], "asked": [r"lethal dose"]},
        }
    }
    detector = RedFlagDetector(config)
    assert detector.detect("what is the lethal dose?")
    assert detector.detect("I'm not asking about a lethal dose") is None
    plain = RedFlagDetector(
        {"flags": {"suicide": {"reply": "crisis", "patterns": ["lethal dose"]}}}
    )
    assert plain.detect("what is the lethal dose?") is None


def test_together_signs_count_only_all_together_each_anywhere_and_each_undiscounted():
    config = {
        "flags": {
            "stroke": {"reply": "emergency", "patterns": [], "together": [["face odd", "arm weak"]]}
        }
    }
    detector = RedFlagDetector(config)
    assert detector.detect("my arm weak since lunch. and my face odd too")
    assert detector.detect("my face odd") is None
    assert detector.detect("my arm weak. my face is not odd") is None  # "face odd" not said
    assert detector.detect("arm weak, and no face odd") is None  # negated
    assert detector.detect("my arm weak. what if my face odd?") is None  # hypothetical
    assert detector.detect("face odd years ago. arm weak") is None  # the past


def test_a_passed_sign_counts_in_a_sentence_that_says_it_passed_unless_long_past():
    config = {
        "words": {"gone": ["for ten minutes", "then it stopped"]},
        "flags": {
            "stroke": {
                "reply": "emergency",
                "patterns": [],
                "passed": {"said": "{gone}", "signs": ["face drooped"]},
            }
        },
    }
    detector = RedFlagDetector(config)
    assert detector.detect("earlier my face drooped for ten minutes, back to normal")
    assert detector.detect("my face drooped, then it stopped. I feel fine now")
    assert detector.detect("my face drooped and it went away") is None  # `said` not said
    assert detector.detect("my face drooped for ten minutes in 2019, fine now") is None
    assert detector.detect("my face drooped for ten minutes last week, fine now") is None
    assert detector.detect("my face never drooped for ten minutes") is None  # negated
    assert detector.detect("what if my face drooped for ten minutes?") is None
    assert detector.detect("my dad had his face drooped for ten minutes") is None  # a relative


# Two signs in separate sentences or far apart, and their quiet look-alikes; "to die for" is
# an idiom only where its clause ends.
TOGETHER_KINDS = [
    ("my left hand won't grip properly. also my face looks odd in the mirror", "stroke"),
    ("Mum's smile is crooked this morning. She keeps dropping her cup.", "stroke"),
    ("He is slurring. His arm is weak too.", "stroke"),
    ("the headache hit out of nowhere, like someone hit me with a bat", "stroke"),
    ("both my legs. numb from the knees down and weak", "sciatica_both_legs"),
    ("I've wanted to die for years", "suicide"),
]
TOGETHER_LOOK_ALIKES = [
    "I have had numbness in my left hand for years from my neck, and my face is fine",
    "my lip feels numb after the dentist and my hand tingles from carpal tunnel",
    "both legs ache after the long walk, a bit heavy",
    "I'm worried about numbness in both legs, is that a side effect?",
    "she has dementia and her speech is slow, her arm is weak since her stroke in 2019",
    "the cheesecake in your cafe is to die for",
]


# Clinical shorthand (dev7) and regional or translated English (dev8), in words of their own,
# and look-alikes that the wider rules must leave quiet.
DEV78_KINDS = [
    ("pt c/o CP radiating to left arm, diaphoretic", "chest_pain"),
    ("new onset facial droop and arm drift", "stroke"),
    ("GCS 12, was 15 an hour ago", "stroke"),
    ("PVR 700ml after trying to void, back pain since the ESI", "bladder_bowel"),
    ("his left leg went dead and his left arm is weak too", "stroke"),
    ("I'm after taking the whole packet of my tablets", "overdose"),
    ("she wants to go be with my dad in heaven and stopped taking her meds", "suicide"),
    ("the site looks infected with yellow discharge", "infection"),
]
DEV78_LOOK_ALIKES = [
    "pain on the left side of my body when sleeping",
    "the air con is not coming on in the waiting room",
    "I don't plan on being here for long, just dropping off forms",
    "my left leg is numb from sciatica and my right hand is numb from carpal tunnel",
    "I have a chest cold and I'm sweating at night",
    "pain from my neck shooting down my left arm",
    "my son has CP (cerebral palsy), can he get injections?",
    "si for monday please",
    "after the procedure, with my discharge papers, what do I do",
    "I never have the urge to go to the gym lol",
    "we'd manage without her for the day while she's at the clinic",
]


# Phonetic spelling and vague alarm with one concrete sign (dev9), mid-task texts (dev10).
DEV910_KINDS = [
    ("my wife is acting strange and can't find the word for fork", "stroke"),
    ("he was fine at lunch, now he can't tell me what year it is, very sudden", "stroke"),
    ("the tea runs out of one side of his mouth", "stroke"),
    ("my hart was racing then I blacked out", "chest_pain"),
    ("my throat is swole and I cant hardly swallow", "breathing"),
    ("I've been stockpiling my pills and I've decided", "suicide"),
    ("what's the point of the follow-up, I won't be here much longer", "suicide"),
    ("hot, red, swollen shot site on day 2", "infection"),
]
# Young people's slang (dev11) and days after a procedure (dev12), in words of their own.
DEV1112_KINDS = [
    ("we narcanned him and he's barely awake", "overdose"),
    ("thinking abt sewerslide every night now", "suicide"),
    ("gave my guitar to my brother, won't be needing it", "suicide"),
    ("since an hour ago my left hand won't grip", "stroke"),
    ("she can't be woken since she took her pills", "overdose"),
    ("temp 38.8 and the area is red and hot, I had the shot Friday", "infection"),
    # words that end a past event must not end a present one
    ("my throat is closing like last time", "breathing"),
    ("the vision in my left eye has gone now", "stroke"),
    ("he's barely conscious now after his pills", "overdose"),
    ("the ER ruled out a heart attack last week but the chest pain is crushing now", "chest_pain"),
]
DEV1112_LOOK_ALIKES = [
    "kms if i have to wait one more hour lol",
    "my heart is racing bc my crush texted me",
    "chest is sore from push ups, breathing fine",
    "sewerslide jokes aside, can I get a student discount",
    "the ER ruled out a heart attack, it was reflux, can I book",
]
# Observers (dev13), SMS fragments (dev14), metaphors and minimisers (dev15), emergencies
# buried in admin or in formal and non-native English (dev16), in words of their own.
DEV1316_KINDS = [
    # one side, speech, sight, a sudden headache, told by metaphor or in other words
    ("his left hand feels like it belongs to a stranger, started 10 minutes ago", "stroke"),
    ("my hand is not obeying me since this afternoon", "stroke"),
    ("her smile only goes up on one side", "stroke"),
    ("since half an hour his words come out in the wrong order", "stroke"),
    ("my husband keeps calling the fork a pen, it came on suddenly", "stroke"),
    ("like a light went out in my right eye", "stroke"),
    ("I can only see the right half of the page", "stroke"),
    ("my leg dragged and the arm on the same side is heavy as a sandbag", "stroke"),
    ("my head feels like a grenade went off in it, out of the blue", "stroke"),
    # the chest squeezed, on fire, or the heart's pain elsewhere with sweat and sickness
    ("it feels like a clamp on my chest", "chest_pain"),
    ("like a belt tightening round my chest and I feel sick", "chest_pain"),
    ("my chest is on fire and spreading to my jaw", "chest_pain"),
    ("aching jaw and upper back, drenched in sweat and I want to throw up", "chest_pain"),
    # stridor, air hunger, a straw, blue nails
    ("she makes a whistling noise when she breathes in", "breathing"),
    ("he's gulping air and can't finish a word", "breathing"),
    ("feels like breathing thru a coffee straw", "breathing"),
    ("her fingernails look bluish", "breathing"),
    # doses doubled or mixed by mistake, too much acetaminophen, pills with drink and drowsy
    ("I took two nights of my zopiclone at once and feel very groggy", "overdose"),
    ("took a double dose of gabapentin by accident", "overdose"),
    ("he took the wrong day's pills and is nodding off", "overdose"),
    ("she's been taking way too much tylenol", "overdose"),
    ("took my oxy plus xanax and a few beers, so sleepy", "overdose"),
    ("he's limp and won't respond, pill bottles everywhere", "overdose"),
    # veiled and reported wishes, a place, a means, a mind made up
    ("my brother says he's going to finish his life", "suicide"),
    ("I wish I hadn't woken up today", "suicide"),
    ("no one would miss me", "suicide"),
    ("she's standing on the railway bridge and said goodbye", "suicide"),
    ("I have enough pills saved up to end it", "suicide"),
    ("dad took his gun out to the shed and told us not to follow", "suicide"),
    ("It's time. You've all been so kind to me.", "suicide"),
    ("Dear doctor, I have no more wish to live. I have the pills ready.", "suicide"),
    ("my mum says she's going to walk into the sea", "suicide"),
    ("my arm feels like it isn't mine anymore, it just happened", "stroke"),
    ("he is making a high pitched noise with each breath", "breathing"),
    ("I took both my morning and night doses of oxycodone together", "overdose"),
    # the seat, the bladder, the site, in plain words
    ("when I wipe I can't feel the tissue at all", "saddle_numbness"),
    ("I've been trying to pee for hours but can't", "bladder_bowel"),
    ("the incision over my battery has come apart and there's goo coming out", "infection"),
    ("fevr and chils, the shot site is swollen", "infection"),
]
DEV1316_LOOK_ALIKES = [
    # a condition the treatment is for, not an inflamed injection site
    "will the steroid shot settle the inflamed nerve root in my neck",
    "I'm going to finish everything on the intake form tonight",
    "thanks for trying to fit me in, see you monday",
    "I think it's time we tried a different medication, the current one is pointless",
    "I collected my tablets from the pharmacy and won't need any refills until May",
    "I'm not sure I'll be around on Monday, I'll be travelling for work",
    "I'm going to jump in the shower then call you back",
    "I'd rather die than miss my grandson's wedding",
    "the price of everything doubled this year",
    "half the screen went black on my laptop, can I call instead?",
    "I don't want to go on the waiting list for surgery",
    "my tire keeps running out of air",
    "I painted my nails blue for the party",
    "the injection for the painful knot in my back helped",
    "the clinic has opened a new office near me",
    "the pain in my bottom is gone after the injection",
    "my left leg has felt heavy since this morning, sciatica flaring again",
    "If I take the gabapentin will the pain stop?",
    "my chest gets tight when I'm anxious about the dentist",
    "my face has drooped on one side since birth, it always has",
    "bladder leaks a little when I cough, had two kids",
    "my friend said her throat swelled up after a shot once, is that common?",
    "used to think about ending it, not anymore",
    "my baby makes funny noises when she breathes while sleeping, is that normal?",
    "I'm sucking air after PT like I ran a marathon, is that normal?",
    "I want to sleep forever after this busy week lol",
    "I'm on the bridge in traffic, running 10 minutes late for my appointment",
    "today is the day of my injection, so excited",
    "I've made arrangements for my wife to drive me",
]
DEV17_KINDS = [
    # a hand that can't do an everyday task (weakness, ataxia), with a new onset or a second sign
    ("my left hand can't hold the fork anymore, started ten minutes ago", "stroke"),
    ("she keeps knocking over her glass with her right hand, this came on suddenly", "stroke"),
    ("can't make my right hand grip the pen, just now", "stroke"),
    ("my right hand feels like it's in a glove and I can't do up my buttons, just now", "stroke"),
    ("the phone keeps slipping out of my left hand and my arm is weak", "stroke"),
    # one side not seen (neglect, hemianopia)
    ("i keep walking into the wall on my right side, started an hour ago", "stroke"),
    ("he can't see anything on his left side since lunch", "stroke"),
    # words said wrong or not at all (expressive aphasia), not read (alexia)
    ("I meant to say fork and said spoon, keeps happening, tongue feels heavy", "stroke"),
    ("the words come out as noises, started 5 minutes ago", "stroke"),
    ("she can't put a sentence together, started suddenly", "stroke"),
    ("i can't read my emails, the letters look like squiggles, came on at lunch", "stroke"),
    ("the numbers on the clock don't mean anything to me, it just happened", "stroke"),
    # the mouth and face, thick or wrong; food out of one side
    ("my mouth feels thick and my words are coming out wrong", "stroke"),
    ("my face in the mirror looks wrong and my left hand is weak", "stroke"),
    ("soup keeps dropping out of the right side of his mouth", "stroke"),
    # spinning with a fall, sliding to one side, a thunderclap in a second, sudden confusion
    ("sudden vertigo and I fell over, can't walk", "stroke"),
    ("the world is tilting and I lost my balance, out of nowhere", "stroke"),
    ("my dad is sliding off to the left in his chair, started suddenly", "stroke"),
    ("a headache hit me in one second, the worst there is", "stroke"),
    (
        "she doesn't know where we are and keeps asking the same question, it came on suddenly",
        "stroke",
    ),
    ("he couldn't remember how to use the remote, never had anything like it", "stroke"),
    # second round: a sleeve, a name that can't be written, words heard but not understood,
    # nothing coming out, a plate eaten from one side, home not recognised, speech like marbles
    ("I can't get my left arm into my sleeve, started 20 minutes ago", "stroke"),
    ("my writing is just scribbles, I can't write my name, started half an hour ago", "stroke"),
    ("my wife suddenly can't follow what anyone is saying", "stroke"),
    ("I opened my mouth to talk and nothing came out, now my right arm is numb", "stroke"),
    ("he only eats from the right side of the plate, since this morning", "stroke"),
    ("grandad suddenly doesn't recognise the house, he was fine at lunch", "stroke"),
    ("she's talking like she has marbles in her mouth, since lunch", "stroke"),
    # a dentist's numbness denied; a checklist answered yes; a friend's infection and one's own
    ("my face is numb and drooping and I haven't been to the dentist", "stroke"),
    ("face drooping? yes. arm weak? yes. came on 10 minutes ago", "stroke"),
    (
        "my friend's wound got infected and now my injection site is red and hot and I have a"
        " fever since the injection",
        "infection",
    ),
    # thanks that read as a farewell, a life not to be kept up, with a mind made up; a site, a
    # sign and a fever in separate sentences
    ("you have all been wonderful to me. I've made up my mind.", "suicide"),
    ("I'm not going to keep doing this any more. I've decided.", "suicide"),
    ("I'm better since the shot. The spot is red and hot now. I've got the shakes.", "infection"),
]
DEV17_LOOK_ALIKES = [
    "my hand is clumsy in the morning with arthritis, can't do up buttons till it warms up",
    "for the last 10 minutes my computer has been frozen, can't read the screen",
    "I keep dropping things, my hands are so cold, just now I dropped my keys",
    "the dentist numbed my jaw for a filling and my lip is drooping a bit, will it wear off?",
    "numbness? no. tingling? no. all good after the injection",
    "do you check for weakness in both legs at the appointment?",
    "what should the carer do if someone is having a stroke? it's for a training course",
    "had the nerve block this morning and my arm is numb and heavy just as the doctor said",
    "worst migraine I've had in a while, my usual kind, the triptan is working",
    "my hand keeps missing the cup because I'm not wearing my glasses lol",
    "I can't read the clock without my glasses",
    "I get vertigo when I roll over in bed, the room spins for a few seconds",
    "I lean to the left when I walk because of my sciatica, started this morning",
    "the room is spinning a bit when I stand up, started this morning, I can't stand up too fast",
    "my son can't read the clock yet, he's learning",
    "my colleague's cut got infected last month",
]
# Emergencies asked as questions (dev18), in words of their own: a question about what is
# happening now counts; one about what can cause it counts when it points at it ("like this")
# or a later sentence says it began; "why can't he" is read "why he can't".
DEV18_KINDS = [
    ("is it normal that my smile went crooked an hour ago?", "stroke"),
    ("what does it mean if my face feels numb on one side and my arm is weak?", "stroke"),
    ("could the block make my face droop? it came on at lunch", "stroke"),
    ("is slurring a side effect of gabapentin? it started ten minutes ago", "stroke"),
    ("why cant she smile properly? her mouth is drooping on one side", "stroke"),
    ("she dropped her glass and her left hand is limp", "stroke"),
    ("my grandad's right side won't work and he's confused", "stroke"),
    ("should I worry that I suddenly forgot how to write? it happened in the last hour", "stroke"),
    ("his arm and his leg feel like they belong to somebody else", "stroke"),
    ("the headache came on suddenly. 10 out of 10, like nothing I've ever had", "stroke"),
    ("can stress cause chest pain like this?", "chest_pain"),
    ("why won't the pressure in my chest ease off? I'm sweating", "chest_pain"),
    ("is it indigestion? there's a pressure under my sternum", "chest_pain"),
    ("can the new pills make my throat this tight?", "breathing"),
    ("is it normal that I can't take a full breath since the shot", "breathing"),
    ("can sciatica do this? both legs went numb, it started an hour ago", "sciatica_both_legs"),
    ("i had an accident in bed and never even felt it, my back is bad", "bladder_bowel"),
    ("is pus normal from the stimulator battery site", "infection"),
    ("is a 102 fever normal three days after the block", "infection"),
    ("should i be worried about a temperature of 38.9 two days after my block", "infection"),
    ("what happens if my son swallowed two of my oxycodone?", "overdose"),
    ("could my daughter have gotten into my oxycodone? she's very sleepy", "overdose"),
    ("I've lost track of the ibuprofen, maybe 25 today", "overdose"),
    ("how much advil is safe? I've had 12 extra strength ones today", "overdose"),
    ("is it normal to feel this drowsy after I crushed my oxycontin?", "overdose"),
    ("can someone give me a reason not to end it", "suicide"),
    ("would my family forgive me if I ended my life?", "suicide"),
    ("who would even care if I just stopped existing", "suicide"),
    ("what's the least painful way to die", "suicide"),
    ("is it normal to sit on the roof and think about jumping?", "suicide"),
    (
        "I don't plan on being here next month, I've sorted who gets my things after I'm gone",
        "suicide",
    ),
]
DEV18_LOOK_ALIKES = [
    "can the epidural cause numbness in both legs? my appointment is next week",
    "could the injection make my face droop? I started reading about it after a friend's stroke",
    "is chest pain a side effect of the steroid? I had the shot this morning",
    "could the injection cause a stroke? my mom had one in 2015 and it started suddenly",
    "what are the signs of infection? it started hurting a bit where the needle went in",
    "what happens if someone took too many pills? just curious",
    "what does it mean if I get a fever after the injection?",
    "should I be worried about an allergic reaction to the dye?",
    "should I be worried about a fever of 99 after the shot?",
    "what does it mean when the doctor says my disc is bulging?",
    "the leaflet says what to do if your face droops, can you send it",
    "I can't take a deep breath without my ribs hurting",
    "I had an accident at work and didn't feel the pain until later",
    "my left side won't move as well as it used to since my hip surgery",
    "my knees give way sometimes, it's been like that for years",
    "I dropped my phone and my right hand is numb from carpal tunnel",
    "the headache came on suddenly but it's my usual migraine, 6 out of 10",
    "can I crush my extended release oxycodone to swallow it easier?",
    "I lost count of how many appointments I've had",
    "I lost track of my meds schedule, can you send it again?",
    "no one in my house has gotten into my meds, they're locked away",
    "no one in our family has had a heart attack",
    "what's the least painful way to get an epidural done?",
    "I don't plan on being here next week, I'm on holiday",
    "will god forgive me if I stop taking my meds?",
    "my butt cheek is numb from sitting on the bleachers",
    "why can't I get through to billing? I've been on hold since lunch",
    "why cant i breathe through my nose at night",
    "the paperwork is suffocating me, can you help",
    "this waiting list gives me a heart attack every time I call",
]
# Kinds of wording dev19 showed missing, in words of their own: vertigo with a walk, a stance
# or a seat that fails and vomiting, double vision or jumping eyes; a stroke sign that came and
# went lately (a TIA); an observer's broken English; a sign told aside in an admin message or a
# formal letter; and the other kinds' misses.
DEV19_KINDS = [
    ("I can't breathe without my inhaler and it's run out", "breathing"),
    # words of our own: the arm test told without the word, a side without "my", signs named
    ("can't raise both arms, the left one drifts down", "stroke"),
    ("right side of body numb", "stroke"),
    ("I think I'm having stroke symptoms", "stroke"),
    ("he's showing signs of a stroke", "stroke"),
    ("the floor keeps tilting, I can't stand up without falling over and I've been sick", "stroke"),
    ("she is lurching into the furniture, very dizzy, and keeps vomiting", "stroke"),
    (
        "he's weaving about like he's had ten pints but he hasn't touched a drop, room spinning,"
        " can't hold his fork steady",
        "stroke",
    ),
    (
        "everything whirled an hour ago, now I can't even sit up without toppling sideways and"
        " my eyes keep jerking",
        "stroke",
    ),
    ("so dizzy, cant walk str8, puked twice, seeing dbl", "stroke"),
    ("mi papa is so dizzy, walking like borracho and vomiting, he no drink alcohol", "stroke"),
    ("giddy all of a sudden, I could not stand unaided and I was sick", "stroke"),
    ("my right arm went weak for about fifteen minutes after breakfast, fine now", "stroke"),
    ("earlier her speech was slurred for a bit but it passed", "stroke"),
    (
        "couldn't get my words out for ten minutes, then it stopped, it happened twice today",
        "stroke",
    ),
    ("my vision went black in my left eye for a few minutes, it's back now", "stroke"),
    ("my face and arm went numb for half an hour this evening, all fine now", "stroke"),
    (
        "It cleared after a few minutes so probably nothing, but my mouth sagged on one side",
        "stroke",
    ),
    ("my granny she face go down on the left and she no can lift the arm", "stroke"),
    ("today he speak very strange, words not correct, the right arm no working", "stroke"),
    ("half his face wasn't moving when he smiled and he wasn't making any sense", "stroke"),
    ("my husband left leg no working since he woke up and his words all mixed", "stroke"),
    (
        "Can I pay by card? I'm struggling to find my words this afternoon and my left hand"
        " feels heavy",
        "stroke",
    ),
    ("Please resend the letter. Since breakfast my right foot has been dragging", "stroke"),
    (
        "What are your hours? My left hand isn't working properly since lunch, I keep dropping"
        " my pen",
        "stroke",
    ),
    (
        "Dear Sir, since ten this morning I have been unable to grip my cup with my right hand"
        " and my speech has become unclear. Kind regards",
        "stroke",
    ),
    (
        "I can't see the left half of the page, the left side is blank, it came on suddenly",
        "stroke",
    ),
    ("since twenty minutes ago the fingers on my right won't do what I tell them", "stroke"),
    ("a squeeze across my chest came on carrying the shopping and hasn't eased", "chest_pain"),
    ("I have to sit bolt upright to get any air", "breathing"),
    ("she can only say two or three words between breaths", "breathing"),
    ("my toddler had my buprenorphine patch and put it in her mouth", "overdose"),
    (
        "I may have taken my oxycodone twice as I couldn't remember taking it, I feel"
        " incredibly sleepy",
        "overdose",
    ),
    ("grandma by accident took her morphine two times", "overdose"),
    ("how many of my sleeping pills would be enough to go peacefully", "suicide"),
    ("I've made up my mind, I've had enough", "suicide"),
    ("the shot site was fine at first but now three days later it's swollen and hot", "infection"),
]
DEV19_LOOK_ALIKES = [
    "I always get dizzy when I stand up too quickly, always have been",
    "my BPPV is back, the room spins when I roll over and I fall over if I get up fast and feel"
    " sick",
    "I get seasick on the ferry, dizzy, can't stand and throw up, any tips?",
    "had too many beers last night, room spinning, couldn't walk straight, threw up, hungover",
    "still dizzy and wobbly after the sedation yesterday, threw up once, is that normal?",
    "the gabapentin makes me dizzy and a bit unsteady, is that common?",
    "I can't stand the pain, my head is spinning, I've been sick twice from the pain meds",
    "my head is spinning with all these forms, I can't stand it",
    "I had a TIA last year where my face drooped for a few minutes, does it matter?",
    "a mini stroke in 2019 left my speech slurred for a few weeks, then it went away",
    "last Tuesday my face drooped for ten minutes and then went back to normal, the GP saw me",
    "my lip was numb for a few hours after the dentist this morning, back to normal now",
    "my right arm was numb and weak for a few hours after the nerve block, it's worn off now",
    "my foot fell asleep for a few minutes after sitting on it, then it came back",
    "what should I do if my face droops for a few minutes and then goes back to normal?",
    "I couldn't talk for a few hours after the procedure because my throat was sore",
    "I saw double for a bit after the sedation, back to normal now",
    "my left eyelid is a bit droopy because I've been so tired this week, all else is normal",
    "my boss gave me the worst headache ever today, can I book Friday?",
    "my smile has always been a bit crooked, that's just my face",
    "my son talks gibberish when he's half asleep lol",
    "the pharmacist gave me naloxone to keep at home, where should I store it?",
    "I've had enough of this insurance company, I've decided to switch",
    "how many of my tablets would be enough to last the week?",
    "my left foot drags a little since my back surgery last year",
    "the right side of the page is missing from the letter you sent, can you resend?",
    "my fingers won't do what I want in the mornings with my arthritis",
    "the injection site was sore at first but it's better now",
    "struggling to find the words to describe my pain, it's burning and stabbing",
    # a habit one can't breathe without
    "I can't breathe without my coffee in the morning haha",
    # stroke signs said as such, but asked about in general, denied or long past
    "what are the symptoms of a stroke",
    "the nurse told me to watch for signs of a stroke after the injection",
    "I don't have any stroke symptoms, just back pain",
    "had stroke symptoms last year but it was a migraine",
    "I lift weights and both arms drop down after a set, normal?",
    # explained by drops, as a sign that passed is: not a one-eyed stroke
    "my vision went blurry in one eye for a few minutes after the eye drops this morning",
    "things went dim in my right eye after the dilating drops at the optician",
]
DEV910_LOOK_ALIKES = [
    "family history: mom had a stroke at 70",
    "I can't talk, I'm in a meeting, can you text me the time",
    "my butt is numb from the bleachers lol",
    "my dog choked on a toy this morning, she's fine",
    "short of breath on the stairs, I'm out of shape",
    "goodbye and thanks for everything",
]


# Kinds of wording dev20 showed missing, in words of their own: a stroke as nurses, aides and
# carers chart it (a new or acute deficit, a clock time, a stroke code, a failed smile test);
# Spanish, Vietnamese, Polish and Chinese words in mixed English; a phone or remote no longer
# worked out, words not spelt, half a plate eaten, letters that stopped making sense, a
# headache that struck like a blow, vision doubled, a grey shadow over one eye, drooling from
# one side, one word over and over, a spell that passed; and the other kinds' misses.
DEV20_KINDS = [
    ("new right facial droop noted at 0930, patient last known well 0800", "stroke"),
    ("resident has acute onset left-sided weakness since 1500", "stroke"),
    ("pt with new expressive aphasia, onset 20 mins ago", "stroke"),
    ("FAST positive on my dad, calling 911 now?", "stroke"),
    ("Sudden receptive aphasia in my mother, she is not following what we say", "stroke"),
    ("he failed the smile test, one side of his mouth won't lift", "stroke"),
    ("Spouse reports transient right sided numbness x10 min, resolved now", "stroke"),
    ("mi papá tiene la boca torcida de repente", "stroke"),
    ("mi esposa no puede mover la pierna derecha desde hace una hora", "stroke"),
    ("me duele mucho el pecho y el brazo", "chest_pain"),
    ("no puedo respirar bien", "breathing"),
    ("all of a sudden I can't figure out how to use the tv remote", "stroke"),
    ("she suddenly couldn't spell simple words in her text", "stroke"),
    ("my wife ate only the right half of her dinner and doesn't notice her left hand", "stroke"),
    ("the letters in my book stopped making sense just now", "stroke"),
    ("this headache hit me like a hammer out of nowhere, worst ever, and I threw up", "stroke"),
    ("my right cheek and right hand went numb together a few minutes ago", "stroke"),
    ("everything is doubled and I keep falling over", "stroke"),
    ("a dark shadow came down over my right eye ten minutes ago", "stroke"),
    ("suddenly leaking tea out of the left corner of my mouth", "stroke"),
    ("only nonsense comes out when he tries to talk, started at lunch", "stroke"),
    ("can't feel the left side of my body", "stroke"),
    ("my mum has 头很痛 sudden, worst of her life", "stroke"),
    ("nagle mama nie może mówić", "stroke"),
    ("this is goodbye, thank you for everything you did", "suicide"),
    ("stridor after the contrast dye", "breathing"),
    ("I'm typing with one hand, the other one just stopped working", "stroke"),
    ("he had a 10 minute episode where he couldn't talk, better now", "stroke"),
]
# ... and its look-alikes: a Bell's palsy diagnosed, slurring explained by tiredness, drink
# or dentures out, a stroke had before, brain freeze, an overdose in the news, a question for
# the future, an everyday gadget, a goodbye on moving away.
DEV20_LOOK_ALIKES = [
    "My Bell's palsy was diagnosed last spring and my smile droops a little still",
    "slurring my words because I'm so tired after the night shift",
    "had a couple of drinks tonight and I'm slurring haha",
    "he slurs when his dentures are out",
    "Does having had a stroke before rule out an epidural?",
    "ice cream headache, worst pain for a few seconds lol",
    "read in the paper about an overdose at another clinic, is that safe here?",
    "is a fever after a shot a sign of infection? asking for the future",
    "my handwriting is messy, always has been",
    "I can't figure out how to use the patient portal",
    "my left hand went numb from lying on it and came back after a minute",
    "goodbye and thanks for all your help, I'm moving to Arizona",
]


@pytest.mark.parametrize(
    "text, flag",
    TOGETHER_KINDS
    + DEV78_KINDS
    + DEV910_KINDS
    + DEV1112_KINDS
    + DEV1316_KINDS
    + DEV17_KINDS
    + DEV18_KINDS
    + DEV19_KINDS
    + DEV20_KINDS,
)
def test_signs_found_together_anywhere_in_the_message(detector, text, flag):
    found = detector.detect(text)
    assert found is not None and found.name == flag


@pytest.mark.parametrize(
    "text",
    TOGETHER_LOOK_ALIKES
    + DEV78_LOOK_ALIKES
    + DEV910_LOOK_ALIKES
    + DEV1112_LOOK_ALIKES
    + DEV1316_LOOK_ALIKES
    + DEV17_LOOK_ALIKES
    + DEV18_LOOK_ALIKES
    + DEV19_LOOK_ALIKES
    + DEV20_LOOK_ALIKES,
)
def test_quiet_look_alikes_of_signs_together(detector, text):
    assert detector.detect(text) is None


def test_misspellings_are_read_as_the_word_they_stand_for_whole_words_only():
    config = {
        "spellings": {"numb": ["numm"], "passed out": ["past out"]},
        "flags": {"x": {"reply": "emergency", "patterns": ["face numb", "passed out"]}},
    }
    detector = RedFlagDetector(config)
    assert detector.detect("my face numm") and detector.detect("I Past Out")
    assert detector.detect("my face nummy") is None
    assert detector.detect("my face is not numm") is None
