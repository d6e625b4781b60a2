"""Simulated patients who book over REST, again and again: bench/booking_load.py's load.

Each booking has a fresh sender and made-up details (a unique phone number per booking), a
varied preferred time and one of the offered slots. A patient whose slot was taken picks
again among the new offers; with nothing left to offer it gives up. Anything else that is
not the expected reply (a status other than 200, a timeout, an empty or unrecognised reply)
is an error: the booking is abandoned and the patient starts another.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

REPLY_TIMEOUT = 60.0  # seconds; a reply slower than this counts as an error

# Made-up patients. Every booking gets its own phone number: booking.book takes a second
# request from the same phone and date of birth for the same slot as a retry of the first.
FIRST = (
    "Maria James Linda Robert Ana David Grace Carlos Helen Omar Rosa Peter Joan Victor"
    " Alice Samuel Nora Daniel Irene Hugo"
).split()
LAST = (
    "Lopez Smith Nguyen Johnson Garcia Brown Patel Miller Davis Martinez Wilson Kim Taylor"
    " Moore Clark Reyes Lewis Walker"
).split()
AREAS = ("214", "469", "972", "817", "682")
OPENINGS = ("I'd like to book an appointment", "book an appointment", "I need an appointment",
            "can i book a visit", "schedule a visit")  # fmt: skip
REASONS = ("low back pain", "neck pain", "sciatica", "knee pain", "facet injections",
           "hip pain", "shoulder pain", "a follow-up for my epidural")  # fmt: skip
# The four intake questions: answered, all skipped, or some of each.
INTAKE = (("my lower back", "about 3 months", "7", "physical therapy and ibuprofen"),
          ("skip", "skip", "skip", "skip"), ("my neck", "a year", "5", "skip"))  # fmt: skip
# Preferred times, in the words patients use; "asap" twice, as it is the most common wish
# (and every "asap" competes for the same first slots).
WHEN = ("next tuesday morning", "friday afternoon", "december 15", "asap", "asap",
        "tomorrow morning", "any weekday after 3", "dec 9 at 10am", "monday", "next week",
        "january 12 afternoon", "thursday at 2pm", "jan 5", "december 22 afternoon",
        "in two weeks", "next monday afternoon", "dec 30 morning", "january 20",
        "any time")  # fmt: skip
CODE = re.compile(r"Confirmation code: ([A-Z0-9]{6})")


@dataclass(frozen=True)
class Booking:
    """A confirmation a patient received: what the database must hold."""

    code: str
    slot: str  # as offered: "Wed Dec 2, 8:00 AM"
    full_name: str
    phone: str  # E.164
    date_of_birth: date


@dataclass
class Tally:
    """What the patients saw, summed over all of them."""

    latencies_ms: list[float] = field(default_factory=list)
    attempts: int = 0
    bookings: list[Booking] = field(default_factory=list)
    slot_taken: int = 0
    give_ups: int = 0
    cut_off: int = 0  # bookings left unfinished when the time was up
    errors: Counter = field(default_factory=Counter)  # "HTTP 500 at phone" -> count
    # A few of each kind: what was sent and the reply, the patient's details masked.
    examples: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def record(self, kind: str, example: str) -> None:
        """Count an error, and keep its first few examples."""
        self.errors[kind] += 1
        kept = self.examples.setdefault(kind, [])
        if len(kept) < 3:
            kept.append(example)


class Unexpected(Exception):
    """A reply the patient can't go on from: an error, named by its kind and step."""

    def __init__(self, kind: str, sent: str = "", reply: str = ""):
        super().__init__(kind)
        self.sent, self.reply = sent, reply


class TimeUp(Exception):
    """The run's time is over in the middle of a booking."""


class Patient:
    """One made-up patient's booking conversation over REST, with what it expects to read."""

    numbers = itertools.count()  # shared: a unique phone number per booking

    def __init__(self, session, url: str, tally: Tally, chooser: random.Random, deadline, times):
        self.session, self.url, self.tally = session, url, tally
        self.chooser, self.deadline = chooser, deadline  # deadline: time.monotonic() or None
        self.times = times  # the preferred times to choose from
        self.sender = f"load-{uuid.uuid4().hex[:16]}"
        n = next(Patient.numbers)
        self.name = f"{chooser.choice(FIRST)} {chooser.choice(LAST)}"
        self.phone = f"{AREAS[n // 10000 % len(AREAS)]}-555-{n % 10000:04d}"
        self.born = date(chooser.randint(1935, 2004), chooser.randint(1, 12),
                         chooser.randint(1, 28))  # fmt: skip

    def masked(self, text: str) -> str:
        """`text` without this patient's made-up name, phone and birth date, cut short."""
        text = text.replace(self.name, "<name>")
        text = re.sub(r"\(?\d{3}\)?[ -]?\d{3}-\d{4}|\+1\d{10}", "<phone>", text)
        return re.sub(r"\d{2}/\d{2}/\d{4}", "<date of birth>", text)[:400]

    async def say(self, message: str, step: str) -> tuple[str, list[dict]]:
        """Send a message; its replies' text and buttons, or Unexpected on any failure."""
        import aiohttp

        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise TimeUp
        start = time.perf_counter()
        try:
            timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT)
            payload = {"sender": self.sender, "message": message}
            async with self.session.post(self.url, json=payload, timeout=timeout) as response:
                status, body = response.status, await response.read()
        except TimeoutError:
            raise Unexpected(f"timeout at {step}") from None
        except aiohttp.ClientError as error:
            raise Unexpected(f"{type(error).__name__} at {step}") from None
        finally:
            self.tally.latencies_ms.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise Unexpected(f"HTTP {status} at {step}", message, body.decode(errors="replace"))
        try:
            replies = json.loads(body)
        except ValueError:
            replies = None
        if not isinstance(replies, list):
            raise Unexpected(f"unreadable reply at {step}", message, body.decode(errors="replace"))
        text = " ".join(reply.get("text") or "" for reply in replies).strip()
        if not text:
            raise Unexpected(f"empty reply at {step}")
        return text, [button for reply in replies for button in reply.get("buttons") or []]

    async def expect(self, message: str, step: str, *words: str) -> tuple[str, list[dict]]:
        text, buttons = await self.say(message, step)
        if not all(word in text for word in words):
            raise Unexpected(f"unrecognised reply at {step}", message, text)
        return text, buttons

    async def book(self) -> Booking | None:
        """One booking from the first message to the code; None if nothing was left open."""
        c = self.chooser
        await self.expect(c.choice(OPENINGS), "opening", "main reason")
        await self.expect(c.choice(REASONS), "reason", "Have you been a patient")
        status = c.choice(("new patient", "returning patient"))
        await self.expect(status, "new or returning", "Where does it hurt?")
        intake = c.choice(INTAKE)
        questions = ("How long", "0 (none) to 10", "What have you tried", "full name")
        for answer, question in zip(intake, questions, strict=True):
            await self.expect(answer, "intake", question)
        await self.expect(self.name, "name", "date of birth")
        await self.expect(self.born.strftime("%m/%d/%Y"), "date of birth", "mobile number")
        await self.expect(self.phone, "phone", "email")
        await self.expect("skip", "email", "When would you like")
        _, buttons = await self.expect(c.choice(self.times), "preferred time", "times are")
        while True:
            offered = [b for b in buttons if str(b.get("payload", "")).isdigit()]
            if not offered:
                return None  # every slot of the booking window is taken
            pick = c.choice(offered)
            slot = pick["title"].split(") ", 1)[1]
            await self.expect(pick["payload"], "slot choice", "Shall I book it?", slot)
            text, buttons = await self.say("yes", "confirmation")
            code = CODE.search(text)
            if code and f"booked for {slot} " in text:
                phone = "+1" + self.phone.replace("-", "")
                return Booking(code.group(1), slot, self.name, phone, self.born)
            if "just taken" not in text:
                raise Unexpected("unrecognised reply at confirmation", "yes", text)
            self.tally.slot_taken += 1  # normal under load: pick again among the new offers


async def patient(session, url: str, tally: Tally, number: int, deadline, bookings, times):
    """Book again and again until the deadline (or `bookings` attempts), counting outcomes."""
    chooser = random.Random(number)
    for _ in itertools.count() if bookings is None else range(bookings):
        if deadline is not None and time.monotonic() >= deadline:
            return
        tally.attempts += 1
        current = Patient(session, url, tally, chooser, deadline, times)
        try:
            booking = await current.book()
        except TimeUp:
            tally.cut_off += 1
            return
        except Unexpected as error:
            tally.record(str(error), current.masked(f"sent {error.sent!r}, got {error.reply!r}"))
            continue
        if booking is None:
            tally.give_ups += 1
        else:
            tally.bookings.append(booking)


async def run_patients(
    url: str,
    patients: int,
    seconds: float | None = None,
    bookings: int | None = None,
    times: Sequence[str] = WHEN,
) -> Tally:
    """`patients` concurrent patients for `seconds`, or until each made `bookings` attempts.

    `url` is the REST webhook; `times` the preferred times patients choose from (fewer
    choices, more patients racing for the same slots). Every patient's random choices are
    seeded by its number, so a run's conversations can be replayed.
    """
    import aiohttp

    tally = Tally()
    started = time.monotonic()
    deadline = None if seconds is None else started + seconds
    connector = aiohttp.TCPConnector(limit=patients)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(
            *(patient(session, url, tally, n, deadline, bookings, times) for n in range(patients))
        )
    tally.seconds = time.monotonic() - started
    return tally
