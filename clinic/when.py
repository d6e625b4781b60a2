"""A patient's preferred appointment time, read from plain words ("next tue aft", "asap").

Rules here cover the phrases patients use most; dateparser turns the absolute dates those rules
find ("Dec 3", "12/3") into dates. Everything is computed from the `now` passed in and its zone
(the clinic's), never from the machine's clock or zone.

Choices for ambiguous phrases:
- "tuesday", "this tuesday" and "next tuesday" all mean the coming Tuesday, today excluded
  (said on a Tuesday, they mean a week from today). "tuesday next week" is next week's Tuesday.
- Plural or several day names ("mondays", "monday or wednesday") are a recurring preference with
  open-ended dates; one singular day name is that single date.
- Bare hours without am/pm: 1-6 are PM, 7-11 are AM, 12 is noon, unless a part of day decides.
- "next week" is Monday to Sunday of next week; "this week" is now to Sunday; "in N weeks" is
  the seven days from N weeks from today; "end of the month" is its last seven days.
- A month and day without a year is the next such date, but one that passed within the last 30
  days is taken as a mistake for this year's (past: None) rather than next year's.
- "the week of Dec 14" is Monday to Sunday of that date's week. A month without a day is the
  next such month: "january" all of it, "early january" the 1st to the 10th, "mid january" the
  11th to the 20th, "late january" or "end of january" the 21st to its end. "May" alone is the
  verb ("may I come tuesday"), so that month needs "in", "early", "mid" or "late" before it.
- "asap" words set `asap`; other constraints said with them ("anytime tomorrow") still apply.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import dateparser
from dateutil.relativedelta import relativedelta

MAX_INPUT = 200  # longer messages are not time preferences; cutting them keeps parsing cheap
PARTS = {
    "morning": (time(8), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), time(21)),
    "lunch": (time(11, 30), time(13, 30)),
}
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# SMS shorthand and typos, as whole words, to the words the rules below know.
_SHORT = {
    **{w: "tomorrow" for w in ("tmrw", "tmr", "tmw", "tomorow", "tomoro", "tomorro", "2morrow")},
    **{w: "afternoon" for w in ("aft", "aftn", "afternoons", "arvo")},
    **{d[:3]: d for d in DAY_NAMES},
    **{"tues": "tuesday", "weds": "wednesday", "thur": "thursday", "thurs": "thursday"},
    **{"nxt": "next", "wk": "week", "wks": "weeks", "eve": "evening", "tonite": "tonight"},
    **{"noon": "12pm", "midday": "12pm", "lunchtime": "lunch", "mornings": "morning"},
    **{"evenings": "evening", "nights": "night"},
}
_ASAP = re.compile(
    r"\b(asap|a\.s\.a\.p|as soon as (possible|poss|you can)|soonest|first available|earliest"
    r"|next available|first opening|any ?time|whenever|as early as possible)\b"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}{_ORD}\b(?:,?\s+\d{{4}}\b)?"),
    re.compile(rf"\b\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}}\b)?"),
    re.compile(r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b"),
    re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2}(?:\d{2})?)?\b"),
)
_DAY_OF_MONTH = re.compile(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b")
_WEEK_OF = re.compile(r"\bweek (?:of|starting|beginning|commencing)\s*(?:the\s+)?$")
_MONTH_PART = re.compile(
    rf"\b(?:(early|beginning of|start of|mid|middle of|late|end of|the end of)\s+|(in)\s+)?"
    rf"({_MONTH})(?!\S)"
)
_PART_DAYS = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10), "mid": (11, 20)}
_PART_DAYS |= {"middle of": (11, 20), "late": (21, 31), "end of": (21, 31), "the end of": (21, 31)}
_DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_T = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(
    rf"\b(between\s+|from\s+)?{_T}\s*(?:-|–|to|and|until|till)\s*{_T}\b(?!\s*(?:day|week|month))"
)
_AFTER = re.compile(rf"\b(?:after|past|later than|not before|starting(?: at)?|from)\s+{_T}\b")
_BEFORE = re.compile(rf"(?<!not )\b(?:before|by|until|till|no later than)\s+{_T}\b")
_AT = re.compile(rf"(?:\b(?:at|around|about)\s+|@\s*){_T}\b")
_BARE = re.compile(rf"\b{_T}\b")
_AFTER_EVENT = {"lunch": time(13, 30), "work": time(17), "school": time(15)}
_DP_SETTINGS = dict(PREFER_DATES_FROM="future", RETURN_AS_TIMEZONE_AWARE=False, DATE_ORDER="MDY")
_IN_N = re.compile(
    r"\bin (\d{1,2}|an?|one|two|three|four|a couple of)(?: ?(?:-|to|or) ?(\d{1,2}))? ?"
    r"(day|week|month)s?\b"
)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "a couple of": 2}


@dataclass(frozen=True)
class TimePreference:
    """When a patient would like to come in; the slot finder offers times inside all limits."""

    earliest: datetime  # timezone-aware, in the clinic's zone; never before `now`
    latest: datetime | None  # aware and inclusive; None = open-ended
    weekdays: frozenset[int] | None  # 0=Monday..6=Sunday; None = any day
    day_start: time | None  # window within each day (local clock time); None = no limit
    day_end: time | None
    asap: bool


def parse_preference(text: str, now: datetime) -> TimePreference | None:
    """Read a preferred time such as "next Tuesday afternoon"; None if nothing is understood.

    `now` is aware and in the clinic's zone. Never raises, whatever the text.
    """
    try:
        return _parse(text, now)
    except Exception:  # a chat turn must never fail on odd input: not understood instead
        return None


def _normalise(text: str) -> str:
    s = re.sub(r"[\x00-\x1f\x7f]", " ", str(text)[:MAX_INPUT]).lower()
    s = re.sub(r"\b([ap])\.m\b\.?", r"\1m", s)
    s = re.sub(r"[a-z]+", lambda m: _SHORT.get(m.group(), m.group()), s)
    # A lone "am"/"pm" ("tmrw pm") is a part of the day, except in "2 pm" or "i am".
    s = re.sub(r"(?<!\d)(?<!\d )(?<!\bi )\bam\b", "morning", s)
    s = re.sub(r"(?<!\d)(?<!\d )(?<!\bi )\bpm\b", "afternoon", s)
    return re.sub(r"\s+", " ", s).strip()


def _cut(s: str, m: re.Match[str]) -> str:
    """The text without a phrase already read, so that later rules do not read it again."""
    return s[: m.start()] + " , " + s[m.end() :]


def _dp(text: str, now: datetime, **extra: object) -> date | None:
    settings = {**_DP_SETTINGS, "RELATIVE_BASE": now.replace(tzinfo=None), **extra}
    found = dateparser.parse(text, languages=["en"], settings=settings)
    return found.date() if found else None


def _explicit_date(s: str, now: datetime) -> tuple[tuple[date, date] | None, str]:
    """The date said ("Dec 3", "12/3", "the 15th"), or the week of it ("week of Dec 14")."""
    found, m = _one_date(s, now)
    if found is None or m is None:
        return (found, found) if found else None, s
    if found != date.min and _WEEK_OF.search(s[: m.start()]):
        monday = found - timedelta(days=found.weekday())
        return (monday, monday + timedelta(days=6)), _cut(s, m)
    return (found, found), _cut(s, m)


def _one_date(s: str, now: datetime) -> tuple[date | None, re.Match[str] | None]:
    today = now.date()
    for pattern in _DATES:
        if m := pattern.search(s):
            d = _dp(m.group(), now)
            if d and not re.search(r"\d{4}|/\d+/", m.group()) and d.year > today.year:
                # "nov 20" said on Nov 24 is a slip for this year's, not a wish for next year's.
                try:
                    this_year = d.replace(year=today.year)
                except ValueError:  # Feb 29
                    this_year = d
                if today - timedelta(days=30) <= this_year <= today:
                    d = this_year if this_year == today else date.min
            return d or date.min, m
    if m := _DAY_OF_MONTH.search(s):
        # dateparser reads "the 15th" as this month's even when past; take the next one.
        day, d = int(m.group(1)), today.replace(day=1)
        for _ in range(3):
            if day <= calendar.monthrange(d.year, d.month)[1] and d.replace(day=day) >= today:
                return d.replace(day=day), m
            d += relativedelta(months=1)
        return date.min, None
    return None, None


def _month(s: str, today: date) -> tuple[tuple[date, date] | None, str]:
    """A month named without a day ("january", "early jan", "end of march"): its next one."""
    for m in _MONTH_PART.finditer(s):
        part, name = m[1] or "", m[3].rstrip(".")
        if name == "may" and not (part or m[2]):
            continue  # "may I come tuesday"
        month = 1 + [n[:3] for n in calendar.month_name[1:]].index(name[:3].title())
        first = date(today.year + (month < today.month), month, 1)
        last = calendar.monthrange(first.year, month)[1]
        start, end = _PART_DAYS.get(part, (1, last))
        return (first.replace(day=start), first.replace(day=min(end, last))), _cut(s, m)
    return None, s


def _relative(s: str, today: date) -> tuple[tuple[date, date] | None, str]:
    wd, day = today.weekday(), timedelta(days=1)
    monday = today - wd * day
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    next_month = today.replace(day=1) + relativedelta(months=1)
    next_month_end = next_month + relativedelta(months=1) - day
    rules: list[tuple[str, tuple[date, date]]] = [
        (r"day after tomorrow", (today + 2 * day,) * 2),
        (r"tomorrow", (today + day,) * 2),
        (r"today|tonight|this (?:morning|afternoon|evening)", (today, today)),
        (r"next week", (monday + 7 * day, monday + 13 * day)),
        (r"(?:this|later this|rest of the) week", (today, monday + 6 * day)),
        (r"this weekend", (max(today, monday + 5 * day), monday + 6 * day)),
        (r"next weekend", (monday + 12 * day, monday + 13 * day)),
        (r"(?:beginning|start|early) (?:of )?next month", (next_month, next_month + 6 * day)),
        (r"next month", (next_month, next_month_end)),
        (r"end of (?:the |this )?month", (max(today, month_end - 6 * day), month_end)),
        (r"(?:this|rest of the) month", (today, month_end)),
    ]
    for pattern, span in rules:
        if m := re.search(rf"\b(?:{pattern})\b", s):
            return span, _cut(s, m)
    if m := _IN_N.search(s):  # "in 3 days", "in 2 weeks", "in 2-3 weeks"
        n = int(m[1]) if m[1].isdigit() else _NUMBERS[m[1]]
        start = today + relativedelta(**{m[3] + "s": n})
        end = today + relativedelta(**{m[3] + "s": int(m[2] or n)})
        return (start, end if m[3] == "day" else end + 6 * day), _cut(s, m)
    return None, s


def _days(s: str) -> tuple[int | None, frozenset[int] | None]:
    """The single day named ("tuesday") or the recurring days ("mondays", "weekdays")."""
    chosen: set[int] = set()
    if m := re.search(rf"\b{_DAY}s?\s*(?:-|to|through|thru)\s*{_DAY}s?\b", s):
        first, last = DAY_NAMES.index(m.group(1)), DAY_NAMES.index(m.group(2))
        chosen |= {(first + i) % 7 for i in range((last - first) % 7 + 1)}
        s = s[: m.start()] + s[m.end() :]
    cut = re.search(r"\b(?:except|excluding|but|not|other than|besides)\b", s)
    wanted, unwanted = (s[: cut.start()], s[cut.start() :]) if cut else (s, "")
    named = re.findall(rf"\b{_DAY}(s?)\b", wanted)
    if re.search(r"\b(?:weekdays?|week days?|business days?|work ?days?)\b", wanted):
        chosen |= set(range(5))
    if re.search(r"\bweekends?\b", wanted):
        chosen |= {5, 6}
    excluded = {DAY_NAMES.index(n) for n, _ in re.findall(rf"\b{_DAY}(s?)\b", unwanted)}
    recurring = chosen or excluded or len({n for n, _ in named}) > 1 or any(p for _, p in named)
    if named and not recurring and not re.search(r"\b(?:any|every|all)\b", wanted):
        return DAY_NAMES.index(named[0][0]), None
    chosen |= {DAY_NAMES.index(n) for n, _ in named}
    if excluded:
        chosen = (chosen or set(range(7))) - excluded
    return None, frozenset(chosen) if chosen else None


def _clock(h: str, m: str | None, mer: str | None, part: tuple[time, time] | None) -> time:
    hour, minute = int(h), int(m or 0)
    if mer:
        if not 1 <= hour <= 12:
            raise ValueError(h)
        hour = hour % 12 + (12 if mer == "pm" else 0)
    elif hour <= 12:
        am, pm = hour % 12, hour % 12 + 12
        inside = [x for x in (am, pm) if part and part[0] <= time(x, minute) < part[1]]
        hour = inside[0] if inside else (pm if 1 <= hour <= 6 or hour == 12 else am)
    return time(hour, minute)


def _window(s: str) -> tuple[time | None, time | None]:
    start = end = None
    if m := re.search(r"\bafter (lunch|work|school)\b", s):
        start, s = _AFTER_EVENT[m.group(1)], _cut(s, m)
    found = re.search(r"\b(morning|afternoon|evening|night|tonight|lunch)\b", s)
    key = found and {"night": "evening", "tonight": "evening"}.get(found[1], found[1])
    part = PARTS[key] if key else None
    # Bare numbers are a range of hours only with a sign of one: "9-11", "between 2 and 4".
    if (m := _RANGE.search(s)) and (m[1] or m[3] or m[4] or m[6] or m[7] or "-" in m[0]):
        end = _clock(m[5], m[6], m[7], part)
        start = _clock(m[2], m[3], m[4] or m[7], part)
        if m[7] and not m[4] and start >= end:  # "11-1pm": the first hour is the morning's
            start = _clock(m[2], m[3], "am" if m[7] == "pm" else "pm", part)
        if end <= start and end.hour < 12 and not m[7]:
            end = end.replace(hour=end.hour + 12)
    else:
        if m := _AFTER.search(s):
            start = _clock(*m.groups(), part)
        if m := _BEFORE.search(s):
            end = _clock(*m.groups(), part)
        if start is None and end is None:
            m = _AT.search(s) or next((b for b in _BARE.finditer(s) if b[2] or b[3]), None)
            if m:
                start = _clock(*m.groups(), part)
                end = (datetime.combine(date.min, start) + timedelta(hours=1)).time()
                end = time.max if end < start else end
    if part and (start or end):
        lo, hi = max(part[0], start or part[0]), min(part[1], end or part[1])
        start, end = (lo, hi) if lo < hi else (start, end)  # a stated time beats the part of day
    elif part:
        start, end = part
    if start and end and start >= end:
        raise ValueError("empty window")  # "after 5 before 3": not understood
    return start, end


def _parse(text: str, now: datetime) -> TimePreference | None:
    s, today, tz = _normalise(text), now.date(), now.tzinfo
    if not s:
        return None
    asap = bool(_ASAP.search(s))
    exact, s = _explicit_date(s, now)
    month, s = _month(s, today) if exact is None else (None, s)
    day_start, day_end = _window(s)  # before `_relative` takes "tonight", "this morning"
    span, s = _relative(s, today)
    span = span or month
    single, weekdays = _days(s)
    understood = asap or weekdays or day_start or day_end or span or single is not None
    if exact is None and not understood and re.search(r"\d|" + _MONTH, s):
        # Last resort for wordings the rules above do not know; a whole day and month are
        # required so that a lone number is never read as a date.
        found = _dp(s, now, REQUIRE_PARTS=["day", "month"])
        exact = (found, found) if found else None
    if exact is not None:
        span = exact
    elif single is not None:
        if span is None or span[0] == span[1]:  # "tomorrow" wins over a day name said with it
            ahead = (single - today.weekday() - 1) % 7 + 1  # today excluded
            span = span or (today + timedelta(days=ahead),) * 2
        else:
            days = (span[0] + timedelta(days=i) for i in range((span[1] - span[0]).days + 1))
            match = next((d for d in days if d.weekday() == single), None)
            span = (match, match) if match else (date.min, date.min)
    if span and span[0] == span[1] and re.search(r"\b(?:a|one|1) week from\b", s):
        span = (span[0] + timedelta(days=7),) * 2  # "a week from friday"
    if span is None and not (asap or weekdays or day_start or day_end):
        return None
    if span is None:
        return TimePreference(now, None, weekdays, day_start, day_end, asap)
    if span[1] < max(span[0], today) or datetime.combine(span[1], day_end or time.max, tz) <= now:
        return None  # never offer the past (nor a range that ends before it starts)
    earliest = max(datetime.combine(span[0], time.min, tz), now)
    latest = datetime.combine(span[1], time.max, tz)
    return TimePreference(earliest, latest, weekdays, day_start, day_end, asap)


def _clock_words(t: time) -> str:
    hour = t.hour % 12 or 12
    return f"{hour}{t.minute and f':{t.minute:02d}' or ''} {'AM' if t.hour < 12 else 'PM'}"


def _day_words(d: date) -> str:
    return f"{DAY_NAMES[d.weekday()][:3].title()} {calendar.month_abbr[d.month]} {d.day}"


def describe(pref: TimePreference) -> str:
    """A short wording of a preference for the patient: "Tue Dec 1, afternoon"."""
    parts: list[str] = []
    single_day = pref.latest is not None and pref.earliest.date() == pref.latest.date()
    if pref.latest is not None:
        first, last = _day_words(pref.earliest.date()), _day_words(pref.latest.date())
        parts.append(first if single_day else f"{first} to {last}")
    if pref.weekdays:
        names = [DAY_NAMES[d].title() + "s" for d in sorted(pref.weekdays)]
        said = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        named_days = {frozenset(range(5)): "weekdays", frozenset({5, 6}): "weekends"}
        parts.append(named_days.get(pref.weekdays, said))
    text = ", ".join(parts)
    window = (pref.day_start, pref.day_end)
    named = next((name for name, span in PARTS.items() if span == window), None)
    if named:
        named = "lunchtime" if named == "lunch" else named + ("" if single_day else "s")
        text = f"{text}, {named}" if text else named
    elif any(window):
        start, end = window
        if start and end:
            hour = datetime.combine(date.min, start) + timedelta(hours=1)
            said = f"around {_clock_words(start)}" if hour.time() == end else None
            said = said or f"{_clock_words(start)} to {_clock_words(end)}"
        else:
            said = f"after {_clock_words(start)}" if start else f"before {_clock_words(end)}"
        text = f"{text} {said}".strip()
    if pref.asap:
        return f"first available, {text}" if text else "as soon as possible"
    return text or "any time"
