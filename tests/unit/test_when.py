"""clinic.when: a patient's preferred appointment time, read from plain words."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.when import TimePreference, describe, parse_preference

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 24, 10, 15, tzinfo=CHICAGO)  # a Tuesday
WEEKDAYS = frozenset(range(5))


def day_start(d: date, tz: ZoneInfo = CHICAGO) -> datetime:
    return datetime.combine(d, time.min, tz)


def day_end(d: date, tz: ZoneInfo = CHICAGO) -> datetime:
    return datetime.combine(d, time.max, tz)


def window(pref: TimePreference) -> tuple[time | None, time | None]:
    return pref.day_start, pref.day_end


@pytest.mark.parametrize(
    "text",
    ["asap", "ASAP!", "as soon as possible", "first available", "earliest you have", "anytime"],
)
def test_asap_means_from_now_with_no_other_limit(text):
    assert parse_preference(text, NOW) == TimePreference(NOW, None, None, None, None, True)


def test_whenever_is_asap_too():
    assert parse_preference("whenever works", NOW) == TimePreference(
        NOW, None, None, None, None, True
    )


@pytest.mark.parametrize(
    ("text", "day", "start", "end"),
    [
        ("tomorrow morning", date(2026, 11, 25), time(8), time(12)),
        ("tmrw am", date(2026, 11, 25), time(8), time(12)),
        ("tomorow aft", date(2026, 11, 25), time(12), time(17)),
        ("tomorrow evening", date(2026, 11, 25), time(17), time(21)),
        ("tomorrow at lunch", date(2026, 11, 25), time(11, 30), time(13, 30)),
        ("tomorrow pm", date(2026, 11, 25), time(12), time(17)),
        ("day after tomorrow", date(2026, 11, 26), None, None),
        ("next Tuesday afternoon", date(2026, 12, 1), time(12), time(17)),
        ("nxt tues aft", date(2026, 12, 1), time(12), time(17)),
        ("tuesday", date(2026, 12, 1), None, None),  # said on a Tuesday: a week from today
        ("this tuesday", date(2026, 12, 1), None, None),
        ("this friday", date(2026, 11, 27), None, None),
        ("on thurs", date(2026, 11, 26), None, None),
        ("sun", date(2026, 11, 29), None, None),
        ("may I come tuesday", date(2026, 12, 1), None, None),  # "may" the verb
        ("monday at 9:30", date(2026, 11, 30), time(9, 30), time(10, 30)),
        ("2pm tomorrow", date(2026, 11, 25), time(14), time(15)),
        ("tomorrow evening at 7", date(2026, 11, 25), time(19), time(20)),
        ("tomorrow morning at 10", date(2026, 11, 25), time(10), time(11)),
        ("tomorrow 9-11", date(2026, 11, 25), time(9), time(11)),
        ("tuesday next week", date(2026, 12, 1), None, None),
        ("friday this week", date(2026, 11, 27), None, None),
        ("a week from friday", date(2026, 12, 4), None, None),
        ("in 3 days", date(2026, 11, 27), None, None),
        ("Dec 3", date(2026, 12, 3), None, None),
        ("12/3", date(2026, 12, 3), None, None),
        ("12/3 at 2pm", date(2026, 12, 3), time(14), time(15)),
        ("december 3rd at 10am", date(2026, 12, 3), time(10), time(11)),
        ("3rd of december", date(2026, 12, 3), None, None),
        ("december 3, 2026", date(2026, 12, 3), None, None),
        ("2026-12-03", date(2026, 12, 3), None, None),
        ("on the 15th", date(2026, 12, 15), None, None),  # the 15th of this month has passed
        ("the 31st", date(2026, 12, 31), None, None),  # November has no 31st
        ("jan 5", date(2027, 1, 5), None, None),
        ("dec 3 2027", date(2027, 12, 3), None, None),
    ],
)
def test_a_single_day(text, day, start, end):
    pref = parse_preference(text, NOW)
    assert pref is not None
    assert (pref.earliest, pref.latest) == (day_start(day), day_end(day))
    assert window(pref) == (start, end)
    assert pref.weekdays is None
    assert pref.asap is False


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("tonight", time(17), time(21)),
        ("this morning", time(8), time(12)),
        ("this afternoon at 2", time(14), time(15)),
        ("today at 3", time(15), time(16)),
        ("on the 24th", None, None),
    ],
)
def test_later_today_starts_now(text, start, end):
    pref = parse_preference(text, NOW)
    assert pref is not None
    assert (pref.earliest, pref.latest) == (NOW, day_end(date(2026, 11, 24)))
    assert window(pref) == (start, end)


def test_next_tuesday_is_the_same_as_tuesday():
    assert parse_preference("next tuesday", NOW) == parse_preference("tuesday", NOW)
    wednesday = datetime(2026, 11, 25, 9, 0, tzinfo=CHICAGO)
    assert parse_preference("tuesday", wednesday).earliest == day_start(date(2026, 12, 1))
    assert parse_preference("wednesday", wednesday).earliest == day_start(date(2026, 12, 2))


@pytest.mark.parametrize(
    ("text", "weekdays", "start", "end"),
    [
        ("any weekday after 3", WEEKDAYS, time(15), None),
        ("weekdays after 3pm", WEEKDAYS, time(15), None),
        ("mornings", None, time(8), time(12)),
        ("evenings after 6", None, time(18), time(21)),
        ("monday or wednesday mornings", frozenset({0, 2}), time(8), time(12)),
        ("mon or wed", frozenset({0, 2}), None, None),
        ("tuesdays", frozenset({1}), None, None),
        ("tuesdays and thursdays after 4", frozenset({1, 3}), time(16), None),
        ("weekends", frozenset({5, 6}), None, None),
        ("mon-fri before 11", WEEKDAYS, None, time(11)),
        ("any day except friday", frozenset({0, 1, 2, 3, 5, 6}), None, None),
        ("weekdays but not mondays", frozenset({1, 2, 3, 4}), None, None),
        ("before 11", None, None, time(11)),
        ("after 5", None, time(17), None),
        ("at 7", None, time(7), time(8)),
        ("10am", None, time(10), time(11)),
        ("at noon", None, time(12), time(13)),
        ("before noon", None, None, time(12)),
        ("between 2 and 4", None, time(14), time(16)),
        ("2-4pm", None, time(14), time(16)),
        ("11-1pm", None, time(11), time(13)),
        ("9-11", None, time(9), time(11)),
        ("from 9 to 5", None, time(9), time(17)),
        ("after lunch", None, time(13, 30), None),
        ("after 10:30 a.m.", None, time(10, 30), None),
    ],
)
def test_recurring_days_and_hours_are_open_ended(text, weekdays, start, end):
    pref = parse_preference(text, NOW)
    assert pref == TimePreference(NOW, None, weekdays, start, end, False)


@pytest.mark.parametrize(
    ("text", "earliest", "last_day"),
    [
        ("next week", day_start(date(2026, 11, 30)), date(2026, 12, 6)),
        ("nxt wk", day_start(date(2026, 11, 30)), date(2026, 12, 6)),
        ("this week", NOW, date(2026, 11, 29)),
        ("in 2 weeks", day_start(date(2026, 12, 8)), date(2026, 12, 14)),
        ("in 2wks", day_start(date(2026, 12, 8)), date(2026, 12, 14)),
        ("in a week", day_start(date(2026, 12, 1)), date(2026, 12, 7)),
        ("in 2-3 weeks", day_start(date(2026, 12, 8)), date(2026, 12, 21)),
        ("in 3 to 5 days", day_start(date(2026, 11, 27)), date(2026, 11, 29)),
        ("end of the month", NOW, date(2026, 11, 30)),
        ("next month", day_start(date(2026, 12, 1)), date(2026, 12, 31)),
        ("this weekend", day_start(date(2026, 11, 28)), date(2026, 11, 29)),
        ("next weekend", day_start(date(2026, 12, 5)), date(2026, 12, 6)),
        ("the week of december 14", day_start(date(2026, 12, 14)), date(2026, 12, 20)),
        ("week of the 16th", day_start(date(2026, 12, 14)), date(2026, 12, 20)),
        ("week starting 11/30", day_start(date(2026, 11, 30)), date(2026, 12, 6)),
        ("early january", day_start(date(2027, 1, 1)), date(2027, 1, 10)),
        ("mid jan", day_start(date(2027, 1, 11)), date(2027, 1, 20)),
        ("late january", day_start(date(2027, 1, 21)), date(2027, 1, 31)),
        ("end of february", day_start(date(2027, 2, 21)), date(2027, 2, 28)),
        ("sometime in january", day_start(date(2027, 1, 1)), date(2027, 1, 31)),
        ("in may", day_start(date(2027, 5, 1)), date(2027, 5, 31)),
        ("november", NOW, date(2026, 11, 30)),
    ],
)
def test_ranges_of_days(text, earliest, last_day):
    pref = parse_preference(text, NOW)
    assert pref == TimePreference(earliest, day_end(last_day), None, None, None, False)


def test_a_range_keeps_its_hours_and_days():
    pref = parse_preference("weekday mornings next week", NOW)
    assert pref == TimePreference(
        day_start(date(2026, 11, 30)),
        day_end(date(2026, 12, 6)),
        WEEKDAYS,
        time(8),
        time(12),
        False,
    )


def test_asap_words_keep_the_other_limits():
    pref = parse_preference("anytime tomorrow", NOW)
    assert pref == TimePreference(
        day_start(date(2026, 11, 25)), day_end(date(2026, 11, 25)), None, None, None, True
    )


def test_dates_roll_over_the_year_end():
    new_years_eve = datetime(2026, 12, 31, 16, 0, tzinfo=CHICAGO)  # a Thursday
    assert parse_preference("jan 5", new_years_eve).earliest == day_start(date(2027, 1, 5))
    assert parse_preference("tomorrow", new_years_eve).earliest == day_start(date(2027, 1, 1))
    next_week = parse_preference("next week", new_years_eve)
    assert (next_week.earliest, next_week.latest) == (
        day_start(date(2027, 1, 4)),
        day_end(date(2027, 1, 10)),
    )
    end_of_month = parse_preference("end of the month", new_years_eve)
    assert (end_of_month.earliest, end_of_month.latest) == (
        new_years_eve,
        day_end(date(2026, 12, 31)),
    )


@pytest.mark.parametrize(
    ("asked", "changeover", "offsets"),
    [
        # Daylight saving ends on 2026-11-01 (CDT -5 to CST -6) and begins on 2027-03-14;
        # the clocks change at 2 AM, so midnight has the old offset and 8 AM the new one.
        (datetime(2026, 10, 31, 9, 0, tzinfo=CHICAGO), date(2026, 11, 1), (-5, -6, -6, -6)),
        (datetime(2027, 3, 13, 9, 0, tzinfo=CHICAGO), date(2027, 3, 14), (-6, -5, -5, -5)),
    ],
)
def test_tomorrow_morning_across_daylight_saving_changes(asked, changeover, offsets):
    pref = parse_preference("tomorrow morning", asked)
    y, m, d = changeover.year, changeover.month, changeover.day
    assert pref.earliest == datetime(y, m, d, 0, 0, tzinfo=CHICAGO)
    assert pref.latest == datetime(y, m, d, 23, 59, 59, 999999, tzinfo=CHICAGO)
    assert window(pref) == (time(8), time(12))
    morning = datetime.combine(changeover, pref.day_start, CHICAGO)
    morning_end = datetime.combine(changeover, pref.day_end, CHICAGO)
    hours = [
        t.utcoffset().total_seconds() / 3600
        for t in (pref.earliest, pref.latest, morning, morning_end)
    ]
    assert hours == list(offsets)
    # In real (UTC) time the day is 25 or 23 hours long; the morning is still four hours.
    day = pref.latest.astimezone(UTC) - pref.earliest.astimezone(UTC)
    assert round(day.total_seconds() / 3600) == (25 if m == 11 else 23)
    assert morning_end.astimezone(UTC) - morning.astimezone(UTC) == timedelta(hours=4)


def test_uses_the_zone_of_now_not_the_machine():
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 11, 25, 0, 30, tzinfo=tokyo)  # still the 24th in Chicago
    pref = parse_preference("tomorrow morning", now)
    assert pref.earliest == day_start(date(2026, 11, 26), tokyo)
    assert pref.earliest.tzinfo is tokyo


@pytest.mark.parametrize(
    "text",
    [
        "nov 20",  # four days ago: a slip, not a wish for next year
        "11/20/2026",
        "12/3/2025",
        "march 3 2020",
        "today at 9am",  # an hour ago
        "monday this week",
        "yesterday",
    ],
)
def test_the_past_is_never_offered(text):
    assert parse_preference(text, NOW) is None


def test_today_once_its_window_is_over_is_past():
    evening = datetime(2026, 11, 24, 21, 30, tzinfo=CHICAGO)
    assert parse_preference("this afternoon", evening) is None
    assert parse_preference("tonight", evening) is None


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "",
        "   ",
        "🙂",
        "🙂🙂🙂",
        "12",
        "I have 2 kids",
        "\x00\x01",
        "what is a facet injection",
    ],
)
def test_nonsense_is_not_understood(text):
    assert parse_preference(text, NOW) is None


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "🙂" * 50_000,
        "\x00\x01\x02\x7f" * 1000,
        "9" * 100_000,
        "at 25",
        "13pm tomorrow",
        "2/30",
        "feb 30",
        "the 99th",
        "after 5 before 3",  # an empty window
        "noon-noon",
        "in 5-3 days",  # ends before it starts
        "".join(chr(c) for c in range(0, 0x3000, 7)),
    ],
)
def test_never_raises(text):
    assert parse_preference(text, NOW) is None


def test_long_input_is_cut_not_refused():
    pref = parse_preference("tomorrow morning please " + "x" * 100_000, NOW)
    assert pref.earliest == day_start(date(2026, 11, 25))
    assert window(pref) == (time(8), time(12))


def test_earliest_is_never_before_now():
    for text in ("this week", "today", "end of the month", "mornings", "asap", "on the 24th"):
        assert parse_preference(text, NOW).earliest == NOW


def test_preferences_are_frozen():
    pref = parse_preference("asap", NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pref.asap = False


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("next Tuesday afternoon", "Tue Dec 1, afternoon"),
        ("weekdays after 3pm", "weekdays after 3 PM"),
        ("asap", "as soon as possible"),
        ("monday or wednesday mornings", "Mondays or Wednesdays, mornings"),
        ("tue, wed or thu", "Tuesdays, Wednesdays or Thursdays"),
        ("weekends", "weekends"),
        ("next week", "Mon Nov 30 to Sun Dec 6"),
        ("december 3rd at 10am", "Thu Dec 3 around 10 AM"),
        ("monday at 9:30", "Mon Nov 30 around 9:30 AM"),
        ("before 11", "before 11 AM"),
        ("2-4pm", "2 PM to 4 PM"),
        ("tomorrow at lunch", "Wed Nov 25, lunchtime"),
        ("anytime tomorrow", "first available, Wed Nov 25"),
    ],
)
def test_describe(text, wording):
    assert describe(parse_preference(text, NOW)) == wording


def test_describe_with_no_limit_at_all():
    assert describe(TimePreference(NOW, None, None, None, None, False)) == "any time"
