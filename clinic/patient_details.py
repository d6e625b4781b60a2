"""Validate and normalise what the booking form collects: date of birth, phone, email, name.

Each `normalise_*`/`parse_*` function returns the clean value, or None when the text is not
one, so the assistant can ask again. The `mask_*` functions hide details in logs and in
summaries that other people may see.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import phonenumbers
from dateutil import parser as date_parser
from email_validator import EmailNotValidError, validate_email

MAX_AGE_YEARS = 120
TWO_DIGIT_YEAR_MAX_AGE = 110  # "3/14/56" is 1956, not 2056: pick a century giving age 0-110
MAX_NAME = 100
_MAX_INPUT = 200  # longer text is not a detail; cutting it keeps parsing cheap
# Ways patients lead in to a detail ("my dob is 3/14/56", "it's Mary").
_DOB_LEAD_IN = re.compile(
    r"^(?:(?:my\s+)?(?:dob|date\s+of\s+birth|birth\s*day|birth\s*date)(?:\s+is)?|born(?:\s+on)?)"
    r"\s*[:\-]?\s*",
    re.IGNORECASE,
)
_NAME_LEAD_IN = re.compile(
    r"^(?:(?:my\s+)?(?:full\s+)?name(?:\s+is\s*:?|\s*:)|it'?s|it\s+is|i'm|i\s+am|this\s+is|call\s+me)\s+",
    re.IGNORECASE,
)
# Replies that are not names though made of letters: a greeting or an answer on its own, or a
# request anywhere in the text. Only whole replies for the short words, as "No" is a surname.
_NOT_NAME_REPLIES = frozenset("hi hello hey yes no yeah yep nope ok okay sure thanks".split())
_NOT_NAME_WORDS = frozenset(
    "thank please help want need book appointment what why how when where cancel reschedule"
    " you".split()
)
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_MONTH_WORD = re.compile(r"[a-z]{3,}", re.IGNORECASE)


def parse_date_of_birth(text: str, today: date) -> date | None:
    """A date of birth from "3/14/1956", "1956-03-14", "March 14 1956", "mar 14, 56".

    Numeric dates are US order (month/day/year). Day, month and year must all be given; a
    two-digit year takes the century that makes the person 0-110 years old. None if the text
    is not a real date, is in the future, or is more than 120 years ago.
    """
    s = _DOB_LEAD_IN.sub("", str(text)[:_MAX_INPUT].strip()).strip().rstrip(".")
    if not re.search(r"\d", s) or re.fullmatch(r"\d+", s):
        return None  # "tomorrow" or a lone number such as "12" is not a date of birth
    numeric = _NUMERIC_DATE.fullmatch(s)
    if numeric and int(numeric[1]) > 12:
        return None  # "14/3/1956": US order, and dateutil would silently swap day and month
    if not numeric and not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", s) and not _MONTH_WORD.search(s):
        return None
    try:
        # dateutil fills what is missing from `default`: two defaults that disagree on the
        # result show that the text left a part out ("March 14" has no year).
        first = date_parser.parse(s, default=datetime(2000, 1, 1), dayfirst=False)
        second = date_parser.parse(s, default=datetime(2001, 2, 2), dayfirst=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if first != second:
        return None
    born = first.date()
    if not re.search(r"\d{4}", s):
        # dateutil picks the century from the real clock; decide it from `today` instead.
        born = _in_century(born, today)
        if born is None or today.year - born.year > TWO_DIGIT_YEAR_MAX_AGE:
            return None
    if born > today or _years_between(born, today) > MAX_AGE_YEARS:
        return None
    return born


def _in_century(born: date, today: date) -> date | None:
    """The latest date with `born`'s two-digit year, month and day that is not after today."""
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        try:
            candidate = born.replace(year=century + born.year % 100)
        except ValueError:  # Feb 29 in a year that has none
            continue
        if candidate <= today:
            return candidate
    return None


def _years_between(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def normalise_phone(text: str, region: str = "US") -> str | None:
    """A valid phone number found in the text, in E.164 ("+19725550123"); None otherwise."""
    s = str(text)[:_MAX_INPUT]
    try:
        # The matcher finds the number inside a sentence ("my number is 972-555-0123").
        for match in phonenumbers.PhoneNumberMatcher(s, region):
            if phonenumbers.is_valid_number(match.number):
                return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        number = phonenumbers.parse(s, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A number for display: national format for North American numbers ("(972) 555-0123"),
    international format for others; the text unchanged if it is not a number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(
        number, style.NATIONAL if number.country_code == 1 else style.INTERNATIONAL
    )


def mask_phone(e164: str) -> str:
    """A phone number with all but its last four digits hidden: "***-***-1059"."""
    digits = re.sub(r"\D", "", str(e164))
    return f"***-***-{digits[-4:]}" if len(digits) >= 4 else "***"


def normalise_email(text: str) -> str | None:
    """The normalised email address in the text (no deliverability check); None if invalid."""
    candidates = [w.strip("<>()[],;:'\"") for w in str(text)[:_MAX_INPUT].split() if "@" in w]
    if len(candidates) != 1:
        return None  # none, or several: ask again rather than guess
    address = candidates[0].rstrip(".")  # "my email is a@b.com." ends a sentence
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def normalise_name(text: str) -> str | None:
    """A person's name, tidied: "my name is o'brien" -> "O'Brien"; None if not a name.

    Letters of any script, spaces, hyphens, apostrophes and periods are allowed; at least two
    letters, at most 100 characters. Case is only changed when the text was all lower or all
    upper case, so "McDonald" or "van der Berg" stay as written.
    """
    s = unicodedata.normalize("NFC", str(text)[: MAX_NAME * 2]).replace("\u2019", "'")
    if "?" in s or "@" in s or any(ch.isdigit() for ch in s):
        return None  # a question, an email or a number: not a name
    s = " ".join(s.split()).strip(" ,!")
    s = _NAME_LEAD_IN.sub("", s).strip(" ,!")
    if not s or len(s) > MAX_NAME or not s[0].isalpha():
        return None
    for ch in s:
        # Combining marks (category M) are letters' accents in scripts such as Devanagari.
        if not (unicodedata.category(ch)[0] in "LM" or ch in " -'."):
            return None
    if sum(ch.isalpha() for ch in s) < 2:
        return None
    words = re.split(r"[\s.]+", s.lower())
    if " ".join(words) in _NOT_NAME_REPLIES or _NOT_NAME_WORDS.intersection(words):
        return None
    if s == s.lower() or s == s.upper():
        s = s.title()  # str.title capitalises after ' and - too: "O'Brien", "Mary-Ann"
    return s


def mask_name(name: str) -> str:
    """A name with all but each word's first letter hidden: "John Smith" -> "J*** S****"."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in str(name).split())
