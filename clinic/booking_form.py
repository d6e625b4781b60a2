"""What the booking form does with each answer: read it, check it, or let it go by.

Pure functions over text and the clinic's content, used by actions/booking.py. A patient's
message while the form asks for a slot is one of: a value for that slot (perhaps invalid),
a correction of an earlier answer ("actually my number is ..."), or something else (a
question, "stop") that the form lets the dialogue rules handle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic.content import Content
from clinic.patient_details import (
    format_phone,
    normalise_email,
    normalise_name,
    normalise_phone,
    parse_date_of_birth,
)
from clinic.schedule import Schedule
from clinic.when import parse_preference

# Intake questions for the clinician, each of which can be skipped.
INTAKE_SLOTS = ("pain_location", "pain_duration", "pain_score", "treatments_tried")
FORM_SLOTS = (
    "booking_reason",
    "patient_status",
    *INTAKE_SLOTS,
    "full_name",
    "date_of_birth",
    "phone",
    "email",
    "preferred_time",
    "slot_choice",
    "booking_confirmed",
)
SKIP = "skipped"  # the email slot's value when the patient gives none
_QUESTION_START = re.compile(
    r"^(what|whats|what's|how|why|when|where|which|who|is|are|can|could|do|does|will|would|"
    r"should|tell me|wat|hw)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"^\s*(y|yes|yeah|yep|yup|sure|ok|okay|correct|right|please do|book it|confirm|go ahead|"
    r"do it|perfect|great|sounds good|that works|that's right)\b",
    re.I,
)
_NO = re.compile(r"^\s*(n|no|nope|nah|not really|wrong|incorrect)\b", re.I)
_NEW = re.compile(r"\b(new|first time|never (been|seen)|not yet|no)\b", re.I)
_RETURNING = re.compile(
    r"\b(returning|existing|been (there|here|before)|yes|yeah|yep|before|follow)\b", re.I
)
_CORRECTION = re.compile(
    r"^\s*(actually|sorry|oops|correction|i meant|wait|no,?)\b.*?\b(?P<field>number|phone|cell|"
    r"name|birthday|birth|dob|born|e-?mail)\b",
    re.IGNORECASE,
)
_FIELD_SLOT = {
    "number": "phone", "phone": "phone", "cell": "phone", "name": "full_name",
    "birthday": "date_of_birth", "birth": "date_of_birth", "dob": "date_of_birth",
    "born": "date_of_birth", "email": "email", "e-mail": "email",
}  # fmt: skip
FIELD_NAMES = {
    "phone": "phone number", "full_name": "name", "date_of_birth": "date of birth",
    "email": "email address",
}  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """The outcome of reading one answer for one slot."""

    value: Any = None  # the slot's new value, when valid
    problem: str | None = None  # replies.yml key of what to tell the patient when invalid


_STOP = re.compile(
    r"^\s*(stop|cancel|never ?mind|nvm|nm|forget (it|that)|quit|exit|abort|i changed my mind)\b",
    re.IGNORECASE,
)


def wants_to_stop(text: str, intent: str) -> bool:
    """ "stop", "never mind", "cancel": leave the form (whatever the NLU made of it)."""
    return intent == "stop" or bool(_STOP.match(text or ""))


def looks_like_question(text: str, intent: str) -> bool:
    """A question for the knowledge base rather than an answer to the form's question."""
    text = text.strip()
    return intent.startswith("ask_") and (text.endswith("?") or bool(_QUESTION_START.match(text)))


def is_yes(text: str, intent: str) -> bool:
    return intent == "affirm" or bool(_YES.match(text))


def is_no(text: str, intent: str) -> bool:
    return intent == "deny" or bool(_NO.match(text))


# A span of time counted: "a year", "3 wks", "over 10 yrs", "a couple of months"
_SPAN = re.compile(
    r"\b(\d+|an?|one|two|three|few|several|couple|many|some|half|over|about|almost|nearly)\b"
    r".*\b(days?|wks?|weeks?|months?|mos?|mths?|years?|yrs?|decades?)\b",
    re.I,
)
# ... or told: "for ages", "since my accident", "on and off for years"
_DURATION = re.compile(
    _SPAN.pattern
    + r"|\b(years|months|weeks|decades|ages|forever|since|long time|for a while|as long as)\b",
    re.I,
)
# A reply that gives no reason for a visit: "no", "ok", "hi", "thanks", "?", an emoji.
_NO_REASON = re.compile(
    r"((y|yes|yeah|yep|no|nope|nah|n|ok|okay|k|sure|hi|hello|hey|thanks|thank you|ty|fine|"
    r"hmm+|um+|uh+|what|huh|please|pls)\b\s*)*",
    re.I,
)


def plainly_answers(slot: str, text: str) -> bool:
    """Whether a short message plainly answers the intake question, whatever the NLU made
    of it (a span of time alone may read to it as an off-topic message)."""
    short = len((text or "").split()) <= 8
    return slot == "pain_duration" and short and bool(_DURATION.search(text or ""))


def read(slot: str, text: str, intent: str, today: date) -> Reading:
    """Read `text` as the answer for `slot` (not the time slots: see read_choice)."""
    text = (text or "").strip()[:500]
    if slot == "booking_reason":
        words = " ".join(re.findall(r"\w+", text))
        if len(words) < 2 or _NO_REASON.fullmatch(words):
            return Reading(problem="invalid_booking_reason")
        return Reading(text)
    if slot in INTAKE_SLOTS and re.fullmatch(
        r"(skip|pass|rather not say|n/?a|none)\.?", text, re.I
    ):
        return Reading(SKIP)
    if slot == "pain_score":
        score = re.search(r"\b(10|[0-9])(\s*(/|out of)\s*10)?\b", text)
        return Reading(score.group(1)) if score else Reading(problem="invalid_pain_score")
    if slot in INTAKE_SLOTS:
        return Reading(text[:200]) if len(text) >= 2 else Reading(problem=f"ask_{slot}")
    if slot == "patient_status":
        if re.search(r"\bnot new\b", text, re.I):
            return Reading("returning")
        negated = re.search(r"\b(no|not|never|nope)\b|n't\b", text, re.I)
        if _NEW.search(text) or (negated and _RETURNING.search(text)):
            return Reading("new")
        if _RETURNING.search(text):
            return Reading("returning")
        return Reading(problem="invalid_patient_status")
    if slot == "full_name":
        # "a year", "2 weeks": an answer to an earlier question, not a name
        name = None if _SPAN.search(text) else normalise_name(text)
        return Reading(name) if name and " " in name else Reading(problem="invalid_full_name")
    if slot == "date_of_birth":
        born = parse_date_of_birth(text, today)
        return Reading(born.isoformat()) if born else Reading(problem="invalid_date_of_birth")
    if slot == "phone":
        phone = normalise_phone(text)
        return Reading(phone) if phone else Reading(problem="invalid_phone")
    if slot == "email":
        if is_no(text, intent) or re.search(r"\b(skip|none|no email|don'?t have)\b", text, re.I):
            return Reading(SKIP)
        email = normalise_email(text)
        return Reading(email) if email else Reading(problem="invalid_email")
    raise ValueError(f"no reader for {slot}")


def read_preference(text: str, now: datetime) -> Reading:
    """Read a preferred time; the value is the text itself, re-read when slots are found."""
    return (
        Reading(text.strip()[:200])
        if parse_preference(text, now)
        else Reading(problem="invalid_preferred_time")
    )


def read_choice(text: str, offered: list[str], schedule: Schedule) -> Reading:
    """Which offered slot (ISO times) the patient picked: "2", "the second", "2:30", the time."""
    text = (text or "").strip().lower()
    ordinals = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
    number = re.fullmatch(r"\(?#?\s*(\d)\)?\.?", text)
    if number and 1 <= int(number.group(1)) <= len(offered):
        return Reading(offered[int(number.group(1)) - 1])
    for word, index in ordinals.items():
        if re.search(rf"\b{word}\b", text) and offered:
            return Reading(offered[index])
    for iso in offered:
        local = datetime.fromisoformat(iso).astimezone(schedule.zone)
        if text in (iso.lower(), slot_label(local).lower()) or _same_clock(text, local):
            return Reading(iso)
    return Reading(problem="invalid_slot_choice")


def _same_clock(text: str, local: datetime) -> bool:
    match = re.search(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", text)
    if not match:
        return False
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) and match.group(3).startswith("p") and hour < 12:
        hour += 12
    elif not match.group(3) and hour < 7:
        hour += 12  # "2:30" at a clinic means the afternoon
    return (hour, minute) == (local.hour, local.minute)


def find_correction(text: str) -> tuple[str, str] | None:
    """("phone", text) for "actually my number is 972 555 0100", else None."""
    match = _CORRECTION.search(text or "")
    if not match:
        return None
    return _FIELD_SLOT[match.group("field").lower()], text


def slot_label(local: datetime) -> str:
    """How a slot is shown: "Thu Dec 3, 2:30 PM"."""
    return f"{local:%a %b} {local.day}, {local:%I:%M %p}".replace(" 0", " ")


def summary(slots: dict[str, Any], schedule: Schedule) -> str:
    """The details to check before booking, in one line."""
    local = datetime.fromisoformat(slots["slot_choice"]).astimezone(schedule.zone)
    born = date.fromisoformat(slots["date_of_birth"])
    parts = [
        slot_label(local),
        schedule.appointment_types[
            "new_patient" if slots["patient_status"] == "new" else "returning_patient"
        ],
        f"for {slots['booking_reason']}",
        slots["full_name"],
        f"born {born:%m/%d/%Y}",
        format_phone(slots["phone"]),
    ]
    if slots.get("email") and slots["email"] != SKIP:
        parts.append(slots["email"])
    return ", ".join(parts)


def booked_message(content: Content, schedule: Schedule, code: str, starts_at: datetime) -> str:
    """The confirmation: the code, the time in the clinic's zone, what to bring, the phone."""
    local = starts_at.astimezone(schedule.zone)
    return content.reply(
        "booking.booked", when=slot_label(local), zone_name=schedule.zone_label, code=code
    )
