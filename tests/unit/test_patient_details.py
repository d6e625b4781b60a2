"""clinic.patient_details: validating and normalising what the booking form collects."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.patient_details import (
    format_phone,
    mask_name,
    mask_phone,
    normalise_email,
    normalise_name,
    normalise_phone,
    parse_date_of_birth,
)

TODAY = date(2026, 11, 24)
PI_DAY_1956 = date(1956, 3, 14)


@pytest.mark.parametrize(
    "text",
    [
        "3/14/1956",
        "03-14-1956",
        "03/14/1956",
        "3.14.1956",
        "1956-03-14",
        "March 14 1956",
        "march 14, 1956",
        "14 March 1956",
        "14th of March 1956",
        "Mar 14th, 1956",
        "mar 14, 56",
        "3/14/56",
        "my dob is 3/14/1956",
        "DOB: March 14 1956",
        "born on 3/14/1956",
        "  3/14/1956.  ",
    ],
)
def test_dates_of_birth_as_patients_write_them(text):
    assert parse_date_of_birth(text, TODAY) == PI_DAY_1956


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("1/1/16", date(2016, 1, 1)),  # ten years old, not 110
        ("11/24/26", date(2026, 11, 24)),  # born today
        ("11/25/26", date(1926, 11, 25)),  # tomorrow in 2026 would be the future: 1926
        ("2/29/00", date(2000, 2, 29)),
        ("2/29/1960", date(1960, 2, 29)),
        ("12/1/1906", date(1906, 12, 1)),  # 119 years old: still allowed
    ],
)
def test_two_digit_years_and_edges(text, born):
    assert parse_date_of_birth(text, TODAY) == born


@pytest.mark.parametrize(
    "text",
    [
        "12",  # a lone number
        "1956",
        "tomorrow",
        "March 14",  # no year
        "3/14",
        "14/3/1956",  # numeric dates are month first: there is no month 14
        "2/30/1990",  # not a real date
        "2/29/1900",
        "1/1/2030",  # the future
        "11/25/2026",
        "1/1/1900",  # more than 120 years ago
        "banana",
        "march 14 1956 banana",
        "",
        "\x00\x01",
        "🙂",
        "3" * 100_000,
    ],
)
def test_what_is_not_a_date_of_birth(text):
    assert parse_date_of_birth(text, TODAY) is None


def test_two_digit_years_use_the_given_today_not_the_clock():
    assert parse_date_of_birth("6/1/30", date(2026, 11, 24)) == date(1930, 6, 1)
    assert parse_date_of_birth("6/1/30", date(2031, 1, 1)) == date(2030, 6, 1)


@pytest.mark.parametrize(
    "text",
    [
        "(972) 555-0123",
        "972.555.0123",
        "9725550123",
        "972-555-0123",
        "+1 972 555 0123",
        "1-972-555-0123",
        "my number is 972-555-0123",
        "call me at (972) 555-0123 please",
    ],
)
def test_phone_numbers_become_e164(text):
    assert normalise_phone(text) == "+19725550123"


@pytest.mark.parametrize(
    "text",
    ["123-456-7890", "555-0100", "972 596 105", "banana", "", "12", "\x00", "9" * 100_000],
)
def test_invalid_phone_numbers(text):
    assert normalise_phone(text) is None


def test_phone_numbers_from_other_regions():
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("020 7946 0958", region="GB") == "+442079460958"
    assert normalise_phone("020 7946 0958") is None  # not a US number


def test_format_phone():
    assert format_phone("+19725550123") == "(972) 555-0123"
    assert format_phone("+442079460958") == "+44 20 7946 0958"
    assert format_phone("not a number") == "not a number"


def test_mask_phone():
    assert mask_phone("+19725550123") == "***-***-0123"
    assert mask_phone("+442079460958") == "***-***-0958"
    assert mask_phone("12") == "***"


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("jo@example.com", "jo@example.com"),
        ("  Jo.Smith@Example.COM ", "Jo.Smith@example.com"),  # the domain is case-free
        ("my email is jo@example.com.", "jo@example.com"),
        ("<jo@example.com>", "jo@example.com"),
        ("jo+clinic@example.co.uk", "jo+clinic@example.co.uk"),
    ],
)
def test_emails_are_normalised(text, email):
    assert normalise_email(text) == email


@pytest.mark.parametrize(
    "text",
    ["jo@example", "jo@@example.com", "jo example.com", "", "a@b.com or c@d.com", "@" * 100_000],
)
def test_invalid_emails(text):
    assert normalise_email(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("o'brien", "O'Brien"),
        ("MARY-ANN SMITH", "Mary-Ann Smith"),
        ("john smith", "John Smith"),
        ("  john    smith ", "John Smith"),
        ("my name is john smith", "John Smith"),
        ("My name is: Jane Doe", "Jane Doe"),
        ("it's José Álvarez", "José Álvarez"),
        ("it\u2019s o\u2019neil", "O'Neil"),
        ("I'm Mary", "Mary"),
        ("i am mary", "Mary"),
        ("this is Dr. J. R. Smith", "Dr. J. R. Smith"),
        ("McDonald", "McDonald"),  # mixed case is kept as written
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Jean-Luc Picard", "Jean-Luc Picard"),
        ("王小明", "王小明"),
        ("राम शर्मा", "राम शर्मा"),
        ("Ng", "Ng"),
    ],
)
def test_names_are_tidied(text, name):
    assert normalise_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "j",  # fewer than two letters
        "j.",
        "john3",
        "john@example.com",
        "what's your name?",
        "who are you?",
        "hi",
        "no",
        "I want to book an appointment",
        "john_smith",
        "John; DROP TABLE",
        "a" * 101,
        "",
        "   ",
        "\x00\x01",
        "🙂",
    ],
)
def test_what_is_not_a_name(text):
    assert normalise_name(text) is None


def test_mask_name():
    assert mask_name("John Smith") == "J*** S****"
    assert mask_name("Mary-Ann O'Brien") == "M******* O******"
    assert mask_name("") == ""
