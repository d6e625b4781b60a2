"""Patients' details kept out of the logs.

`install()` makes every log record of the process pass through `redact` as it is made,
whatever logger or handler it goes to, tracebacks included. Two kinds of thing are masked:

- what looks like a phone number, an email address or a date (a date of birth is one);
- what patients wrote and what the assistant said back, wherever Rasa's and rasa_sdk's
  debug logs quote it (a name is only recognisable by where it stands), and slot values.

Only the log is changed, never the conversation. The canary tests (tests/e2e) run a
booking with made-up details at DEBUG level and look for them in every log line.
"""

from __future__ import annotations

import logging
import re
import traceback

import phonenumbers

MASK = "[redacted]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
)  # fmt: skip
_DATES = [
    re.compile(r"\b\d{1,4}([-/])\d{1,2}\1\d{1,4}\b"),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}\b", re.I),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{2,4}}\b", re.I),
    re.compile(r"\b(?:19|20)\d{6}\b"),  # 19600202
]
_DIGIT_RUN = re.compile(r"(?<![\d.])\+?\d[\d\s()-]{5,}\d")  # 7+ digits in a row, however spaced
# Where Rasa (3.6) and rasa_sdk quote a patient's words, the bot's replies or slot values,
# in plain and in structlog's JSON lines. `keep` stays, the rest up to `end` is masked.
_Q = r"(?P<q>[\"'])"  # an opening quote; the value runs to the same quote, unescaped
_VALUE = r".*?(?<!\\)(?P=q)"
_QUOTED = [
    re.compile(r"(?P<keep>Received user message )'.*?'(?P<end> with intent)", re.S),
    re.compile(rf"(?P<keep>\b\w*text[\"']?\s*[:=]\s*{_Q}){_VALUE}", re.S),
    re.compile(rf"(?P<keep>\bvalue[\"']?\s*[:=]\s*{_Q}){_VALUE}", re.S),
    # Slots and fields that hold a patient's details, quoted (a tracker dumped as JSON).
    re.compile(
        rf"(?P<keep>\b(?:\w*name|\w*phone|date_of_birth|\w*email|manage_identity|sender|sender_id|recipient_id)[\"']?\s*[:=]\s*{_Q}){_VALUE}",
        re.S,
    ),  # noqa: E501
    re.compile(rf"(?P<keep>[\"']slot_values[\"']\s*:\s*{_Q}){_VALUE}", re.S),
    re.compile(rf"(?P<keep>(?:Bot|User)Uttered\({_Q}){_VALUE}", re.S),
    re.compile(r"(?P<keep>SlotSet\(key: [\w-]+, value: ).*?(?P<end>\)(?=[\"',\]\s]|$))", re.S),
    re.compile(r"(?P<keep>\btext: ).*?(?P<end> \||\\n|\"|$)", re.M),  # rule policy states
    re.compile(r"(?P<keep>^\t[\w-]+: ).*$", re.M),  # "Current slot values:", one per line
]


def _masked(match: re.Match) -> str:
    groups = match.groupdict()
    return groups["keep"] + MASK + (groups.get("end") or groups.get("q") or "")


def _mask_phones(text: str) -> str:
    found = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(
            text, "US", leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    for start, end in reversed(found):
        text = text[:start] + MASK + text[end:]
    return text


def redact(text: str) -> str:
    """`text` with patients' details masked."""
    if not text:
        return text
    for pattern in _QUOTED:
        text = pattern.sub(_masked, text)
    text = _EMAIL.sub(MASK, text)
    for pattern in _DATES:
        text = pattern.sub(MASK, text)
    text = _mask_phones(text)
    return _DIGIT_RUN.sub(MASK, text)


def install() -> None:
    """Redact every log record this process makes from now on (once per process)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts", False):
        return

    def make_record(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            record.msg = redact(record.getMessage())
            record.args = ()
        except Exception:  # noqa: BLE001 - a record that can't be formatted stays as made
            return record
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
            record.exc_info = None
        return record

    make_record.redacts = True
    logging.setLogRecordFactory(make_record)
