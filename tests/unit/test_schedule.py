"""clinic.schedule: opening hours, holidays, daylight saving, and the slots offered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from clinic.schedule import Schedule, open_slots
from clinic.when import TimePreference


@pytest.fixture(scope="module")
def schedule(content) -> Schedule:
    return Schedule.from_config(content.schedule)


def preference(earliest, latest=None, weekdays=None, start=None, end=None, asap=False):
    return TimePreference(earliest, latest, weekdays, start, end, asap)


def test_the_schedule_comes_from_clinic_yml(schedule):
    assert str(schedule.zone) == "America/Chicago"
    assert schedule.slot == timedelta(minutes=30)
    assert schedule.opening_hours[0] == (time(8), time(17))
    assert 5 not in schedule.opening_hours and 6 not in schedule.opening_hours
    assert date(2026, 12, 25) in schedule.holidays


def test_slots_of_a_day_follow_opening_hours(schedule):
    starts = list(schedule.slot_starts(date(2026, 12, 4)))  # a Friday: 08:00-15:00
    assert starts[0] == datetime(2026, 12, 4, 8, 0, tzinfo=schedule.zone)
    assert starts[-1] == datetime(2026, 12, 4, 14, 30, tzinfo=schedule.zone)
    assert len(starts) == 14


def test_no_slots_on_weekends_and_holidays(schedule):
    assert list(schedule.slot_starts(date(2026, 12, 5))) == []  # Saturday
    assert list(schedule.slot_starts(date(2026, 12, 25))) == []  # Christmas, a Friday


@pytest.mark.parametrize(
    "day, utc_hour",
    [
        (date(2026, 10, 30), 13),
        (date(2026, 11, 2), 14),
        (date(2027, 3, 12), 14),
        (date(2027, 3, 15), 13),
    ],
)
def test_opening_stays_at_8_local_across_daylight_saving(schedule, day, utc_hour):
    first = next(schedule.slot_starts(day))
    assert first.astimezone(schedule.zone).time() == time(8)
    assert first.astimezone(UTC).hour == utc_hour


def test_next_opening_after_hours_and_over_a_holiday_weekend(schedule):
    wednesday_night = datetime(2026, 12, 23, 19, 0, tzinfo=schedule.zone)
    # Thursday 24th and Friday 25th are holidays, then a weekend: Monday the 28th at 8.
    assert schedule.next_opening(wednesday_night) == datetime(2026, 12, 28, 8, tzinfo=schedule.zone)
    monday_noon = datetime(2026, 12, 28, 12, tzinfo=schedule.zone)
    assert schedule.is_open(monday_noon)
    assert not schedule.is_open(wednesday_night)


def test_three_matching_slots_are_offered(schedule):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=schedule.zone)  # Tuesday
    thursday = datetime(2026, 12, 3, tzinfo=schedule.zone)
    wanted = preference(thursday, thursday + timedelta(days=1), start=time(12), end=time(17))
    offered = open_slots(schedule, wanted, taken=[], now=now)
    assert offered == [
        datetime(2026, 12, 3, h, m, tzinfo=schedule.zone) for h, m in ((12, 0), (12, 30), (13, 0))
    ]


def test_taken_slots_are_skipped(schedule):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=schedule.zone)
    thursday = datetime(2026, 12, 3, tzinfo=schedule.zone)
    taken = [datetime(2026, 12, 3, 18, 0, tzinfo=UTC)]  # 12:00 in Dallas
    wanted = preference(thursday, thursday + timedelta(days=1), start=time(12), end=time(17))
    assert open_slots(schedule, wanted, taken, now)[0].time() == time(12, 30)


def test_asap_respects_the_minimum_notice(schedule):
    now = datetime(2026, 12, 1, 9, 10, tzinfo=schedule.zone)
    offered = open_slots(schedule, preference(now, asap=True), taken=[], now=now)
    assert offered[0] == datetime(2026, 12, 1, 11, 30, tzinfo=schedule.zone)


def test_nothing_matching_offers_the_nearest_open_slots(schedule):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=schedule.zone)
    saturday = datetime(2026, 12, 5, tzinfo=schedule.zone)
    offered = open_slots(schedule, preference(saturday, saturday + timedelta(days=1)), [], now)
    assert len(offered) == 3
    assert all(schedule.is_open_day(s.date()) for s in offered)
    assert {s.date() for s in offered} <= {date(2026, 12, 4), date(2026, 12, 7)}


def test_a_partly_matching_preference_is_topped_up_with_the_nearest(schedule):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=schedule.zone)
    friday = datetime(2026, 12, 4, tzinfo=schedule.zone)
    late = preference(friday, friday + timedelta(days=1), start=time(14, 15))
    offered = open_slots(schedule, late, [], now)
    assert datetime(2026, 12, 4, 14, 30, tzinfo=schedule.zone) in offered
    assert len(offered) == 3


def test_the_nearest_slots_are_nearest_to_the_wanted_time_not_to_midnight(schedule):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=schedule.zone)
    day = datetime(2026, 12, 9, tzinfo=schedule.zone)
    wanted = preference(day, day + timedelta(days=1), start=time(10), end=time(11))
    taken = [datetime(2026, 12, 9, 10, 0, tzinfo=schedule.zone)]
    offered = open_slots(schedule, wanted, taken, now)
    assert {s.date() for s in offered} == {date(2026, 12, 9)}
    assert datetime(2026, 12, 9, 10, 30, tzinfo=schedule.zone) in offered
