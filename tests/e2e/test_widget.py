"""The website's chat widget in Debian's Chromium, driven by Playwright, against ./run's demo
page (port 8000) and Rasa's socket.io channel. No browser is downloaded: Playwright launches
/usr/bin/chromium ($CHROMIUM), which ./test installs from Debian's packages when missing.
"""

from __future__ import annotations

import os
import re
import sqlite3
import struct
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select

from clinic.content import load_content
from clinic.db import session_factory
from clinic.models import Appointment
from tests.conftest import ROOT
from tests.e2e.conftest import HTML_MARKER, PHONE, SITE

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WIDGET = "#clinic-chat-widget"
PHONE_SIZE = {"width": 360, "height": 740}
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
QUESTION = "what's the difference between facet and trigger point injections?"


@pytest.fixture(scope="module")
def browser(server):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: ./test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def open_chat(page: Page) -> None:
    page.goto(SITE)
    page.get_by_role("button", name="Chat with us").click()
    expect(log(page)).to_contain_text("automated assistant")


def log(page: Page):
    return page.locator(f"{WIDGET} .log")


def ask(page: Page, text: str, expected: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")
    expect(log(page).locator(".message.patient").last).to_have_text(f"You said: {text}")
    expect(log(page).locator(".message.assistant").last).to_contain_text(expected)


def answer_of(topic: str) -> str:
    return load_content().topics[topic].answer


def test_the_demo_page_loads_nothing_from_other_sites(browser):
    context = browser.new_context()
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    response = page.goto(SITE)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert page.title() == "The clinic"
    expect(page.get_by_role("link", name=f"Call {PHONE}")).to_be_visible()
    page.get_by_role("button", name="Chat with us").click()
    expect(log(page)).to_contain_text("can't give medical advice")
    subtitle = page.locator(WIDGET).get_by_text("Automated assistant, not a person", exact=True)
    expect(subtitle).to_be_visible()
    assert hosts == {"localhost"}
    assert errors == []
    context.close()
    # The server hands out its page and the widget's files, and nothing else of the project.
    for path in ("web/server.py", "widget/../server.py", "../content/clinic.yml", "x"):
        assert requests.get(SITE + path, timeout=10).status_code == 404, path


def test_a_question_is_answered_and_a_quick_reply_clicked(page):
    open_chat(page)
    # The disclosure is said once, even though the widget opened the conversation itself.
    expect(log(page).get_by_text("automated assistant", exact=False)).to_have_count(1)
    ask(page, QUESTION, answer_of("compare")[:60])
    replies = log(page).get_by_role("group", name="Suggested replies")
    expect(replies.get_by_role("button")).to_have_text(["More detail", "Book a visit"])
    replies.get_by_role("button", name="More detail").click()
    # The patient's side shows the button's title, never its payload.
    expect(log(page).locator(".message.patient").last).to_have_text("You said: More detail")
    expect(log(page)).to_contain_text("From the clinic's article:")
    assert "/ask_more_detail" not in log(page).inner_text()
    # Only the latest message keeps its quick replies.
    expect(log(page).get_by_role("group", name="Suggested replies")).to_have_count(1)


def test_links_and_phone_numbers_are_clickable(page):
    open_chat(page)
    link = log(page).get_by_role("link", name=PHONE).first
    expect(link).to_have_attribute("href", "tel:" + re.sub(r"\D", "", PHONE))
    expect(log(page).get_by_role("link", name="911").first).to_have_attribute("href", "tel:911")


def test_a_typing_indicator_shows_until_the_reply(page):
    open_chat(page)
    shown = page.evaluate(
        """() => {
            const root = document.querySelector('#clinic-chat-widget').shadowRoot;
            root.querySelector('textarea').value = 'what is a facet injection?';
            root.querySelector('form').requestSubmit();
            const typing = root.querySelector('.typing');
            return typing.classList.contains('on') && typing.textContent;
        }"""
    )
    assert shown == "The assistant is typing"
    expect(log(page).locator(".message.assistant").last).to_contain_text("facet joint")
    expect(page.locator(f"{WIDGET} .typing")).not_to_have_class(re.compile(r"\bon\b"))


def test_the_conversation_survives_a_reload(page):
    open_chat(page)
    ask(page, QUESTION, answer_of("compare")[:60])
    page.reload()
    expect(log(page)).to_contain_text(f"You said: {QUESTION}")
    expect(log(page)).to_contain_text(answer_of("compare")[:60])
    expect(log(page).get_by_text("automated assistant", exact=False)).to_have_count(1)
    # The server kept the conversation too: a follow-up is about the same topic.
    ask(page, "how long does it last?", "doesn't say how long")


def test_html_and_scripts_stay_text(page):
    open_chat(page)
    typed = '<b>bold</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    ask(page, typed, "")
    expect(log(page).locator(".message.patient").last).to_have_text(f"You said: {typed}")
    ask(page, "tell me about restorative yoga", HTML_MARKER)
    widget = page.locator(WIDGET)
    for tag in ("b", "img", "script"):
        expect(widget.locator(f".log {tag}")).to_have_count(0)
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "The clinic"


def test_keyboard_only(page):
    page.goto(SITE)
    launcher = page.get_by_role("button", name="Chat with us")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("what is a facet injection?")
    page.keyboard.press("Enter")
    expect(log(page).locator(".message.assistant").last).to_contain_text("facet joint")
    # Tab reaches the quick replies; Enter chooses one.
    detail = log(page).get_by_role("button", name="More detail")
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if detail.evaluate("b => b.getRootNode().activeElement === b"):
            break
    page.keyboard.press("Enter")
    expect(log(page).locator(".message.patient").last).to_have_text("You said: More detail")
    page.get_by_label("Your message").focus()
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_no_accessibility_violations(browser):
    context = browser.new_context(bypass_csp=True)  # to add axe-core to the page
    page = context.new_page()
    open_chat(page)
    ask(page, QUESTION, answer_of("compare")[:60])
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    assert result["passes"], "axe-core checked nothing"
    assert "color-contrast" in {rule["id"] for rule in result["passes"]}
    expect(log(page)).to_have_attribute("aria-live", "polite")
    context.close()


def test_booking_through_the_widget(page, server):
    open_chat(page)
    ask(page, "I'd like to book an appointment", "main reason")
    ask(page, "neck pain", "Have you been a patient")
    log(page).get_by_role("button", name="New patient").click()
    expect(log(page).locator(".message.assistant").last).to_contain_text("Where does it hurt?")
    for question in ("How long", "0 (none) to 10", "What have you tried", "full name"):
        log(page).get_by_role("button", name="Skip").click()  # an intake question skipped
        expect(log(page).locator(".message.assistant").last).to_contain_text(question)
    ask(page, "Rosa Widget", "date of birth")
    ask(page, "02/03/1950", "mobile number")
    ask(page, "214-555-0177", "email")
    ask(page, "skip", "When would you like")
    ask(page, "december 15 in the afternoon", "Tue Dec 15")
    slots = log(page).get_by_role("group", name="Suggested replies").get_by_role("button")
    slots.first.click()
    expect(log(page).locator(".message.assistant").last).to_contain_text("Shall I book it?")
    log(page).get_by_role("button", name="Yes, book it").click()
    expect(log(page)).to_contain_text("Confirmation code: ")
    code = re.search(r"Confirmation code: (\w{6})", log(page).inner_text()).group(1)
    with session_factory(f"sqlite:///{server['database']}")() as session:
        found = session.scalars(select(Appointment).where(Appointment.code == code)).one()
    assert (found.status.value, found.full_name, found.phone, found.reason) == (
        "requested", "Rosa Widget", "+12145550177", "neck pain",
    )  # fmt: skip
    with sqlite3.connect(server["database"]) as db:  # stored encrypted
        row = db.execute("SELECT full_name, phone FROM appointments WHERE code = ?", (code,))
        columns = repr(row.fetchall())
    assert "Rosa" not in columns and "5550177" not in columns and "gAAAAA" in columns


def test_fits_a_phone(browser):
    context = browser.new_context(
        viewport=PHONE_SIZE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    open_chat(page)
    ask(page, QUESTION, answer_of("compare")[:60])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "widget-phone.png"
    page.screenshot(path=str(shot))
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])  # the PNG's IHDR
    assert (width, height) == (720, 1480)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]
    for name in ("Send", "Close the chat", "More detail", "Book a visit"):
        box = page.locator(WIDGET).get_by_role("button", name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_SIZE["width"], name
        assert box["y"] + box["height"] <= PHONE_SIZE["height"], name
        assert box["height"] >= 44, f"{name} is too small to tap"
    context.close()


def test_an_unreachable_server_is_explained_with_the_phone(browser):
    context = browser.new_context()
    page = context.new_page()

    def elsewhere(route):
        html = requests.get(SITE, timeout=10).text
        route.fulfill(body=html.replace(":5005", ":5999"), content_type="text/html")

    page.route(SITE, elsewhere)
    page.goto(SITE)
    page.get_by_role("button", name="Chat with us").click()
    expect(page.locator(f"{WIDGET} .notice")).to_contain_text(f"call the clinic at {PHONE}")
    expect(page.locator(f"{WIDGET} .notice")).to_contain_text("emergency call 911")
    context.close()


def test_the_socket_is_refused_to_other_sites(server):
    handshake = "http://localhost:5005/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": SITE.rstrip("/")}, timeout=10).ok
    refused = requests.get(handshake, headers={"Origin": "https://tracker.example"}, timeout=10)
    assert refused.status_code == 400
