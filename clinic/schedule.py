"""The clinic's schedule: opening hours, holidays and the open slots to offer a patient.

All arithmetic is done on local wall-clock times in the clinic's zone (content/clinic.yml),
so a slot at 08:00 stays at 08:00 across daylight-saving changes; times are stored in UTC.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.when import TimePreference

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Schedule:
    """When the clinic sees patients."""

    zone: ZoneInfo
    zone_label: str  # how patients name the zone: "Central"
    opening_hours: Mapping[int, tuple[time, time]]  # weekday (0 = Monday) -> open, close
    holidays: frozenset[date]
    slot: timedelta
    window: timedelta
    notice: timedelta
    appointment_types: Mapping[str, str]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Schedule:
        """Build from the `schedule` section of content/clinic.yml."""
        hours = {
            WEEKDAYS.index(day.lower()): (time.fromisoformat(start), time.fromisoformat(end))
            for day, (start, end) in config["opening_hours"].items()
        }
        return cls(
            zone=ZoneInfo(config["time_zone"]),
            zone_label=str(config.get("time_zone_label", config["time_zone"])),
            opening_hours=hours,
            holidays=frozenset(_as_date(d) for d in config.get("holidays", [])),
            slot=timedelta(minutes=int(config["slot_minutes"])),
            window=timedelta(days=int(config.get("booking_window_days", 60))),
            notice=timedelta(hours=float(config.get("minimum_notice_hours", 0))),
            appointment_types=dict(config["appointment_types"]),
        )

    def now(self) -> datetime:
        """The current time in the clinic's zone; $CLINIC_NOW (ISO 8601) sets it for tests."""
        fixed = os.environ.get("CLINIC_NOW")
        if fixed:
            moment = datetime.fromisoformat(fixed)
            return (moment if moment.tzinfo else moment.replace(tzinfo=self.zone)).astimezone(
                self.zone
            )
        return datetime.now(self.zone)

    def is_open_day(self, day: date) -> bool:
        """Whether the clinic sees patients on `day` at all."""
        return day.weekday() in self.opening_hours and day not in self.holidays

    def slot_starts(self, day: date) -> Iterator[datetime]:
        """Every slot start of `day`, aware in the clinic's zone."""
        if not self.is_open_day(day):
            return
        opens, closes = self.opening_hours[day.weekday()]
        start = datetime.combine(day, opens)
        while start + self.slot <= datetime.combine(day, closes):
            local = start.replace(tzinfo=self.zone)
            # A wall time that doesn't exist (the spring-forward gap) doesn't round-trip.
            if local.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None) == start:
                yield local
            start += self.slot

    def next_opening(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` when the clinic is open."""
        local = moment.astimezone(self.zone)
        for offset in range(0, 366):
            day = local.date() + timedelta(days=offset)
            if not self.is_open_day(day):
                continue
            opens, closes = self.opening_hours[day.weekday()]
            start = datetime.combine(day, opens, tzinfo=self.zone)
            end = datetime.combine(day, closes, tzinfo=self.zone)
            if local < end:
                return max(start, local)
        raise ValueError("the clinic is never open")

    def is_open(self, moment: datetime) -> bool:
        """Whether the clinic is open at `moment`."""
        return self.next_opening(moment) == moment.astimezone(self.zone)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def matches(start: datetime, preference: TimePreference) -> bool:
    """Whether the slot starting at `start` is what the patient asked for."""
    if start < preference.earliest or (preference.latest and start >= preference.latest):
        return False
    if preference.weekdays is not None and start.weekday() not in preference.weekdays:
        return False
    if preference.day_start and start.time() < preference.day_start:
        return False
    return not (preference.day_end and start.time() >= preference.day_end)


def _wanted_start(preference: TimePreference, zone: ZoneInfo) -> datetime:
    """The moment the patient asked for: the start of the window on the first day."""
    earliest = preference.earliest.astimezone(zone)
    if preference.day_start and earliest.time() < preference.day_start:
        return datetime.combine(earliest.date(), preference.day_start, tzinfo=zone)
    return earliest


def open_slots(
    schedule: Schedule,
    preference: TimePreference,
    taken: Collection[datetime],
    now: datetime,
    count: int = 3,
) -> list[datetime]:
    """Up to `count` open slots matching `preference`, topped up with the nearest others.

    `taken` holds the starts of booked slots (any zone). With nothing matching, the next
    available slots are offered.
    """
    busy = {moment.astimezone(UTC) for moment in taken}
    first = now.astimezone(schedule.zone) + schedule.notice
    last = now.astimezone(schedule.zone) + schedule.window
    free = [
        start
        for offset in range((last.date() - first.date()).days + 1)
        for start in schedule.slot_starts(first.date() + timedelta(days=offset))
        if first <= start <= last and start.astimezone(UTC) not in busy
    ]
    matching = [start for start in free if matches(start, preference)]
    chosen = matching[:count]
    if len(chosen) < count:
        anchor = max(_wanted_start(preference, schedule.zone), first)
        if chosen:
            anchor = chosen[0]
        others = sorted((s for s in free if s not in chosen), key=lambda s: (abs(s - anchor), s))
        chosen += others[: count - len(chosen)]
    return sorted(chosen)
