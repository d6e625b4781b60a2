"""What the channels pass on from a patient (clinic/inbound.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic import inbound
from clinic.content import load_content
from clinic.safety import RedFlagDetector

DETECTOR = RedFlagDetector(load_content().red_flags)


def is_red_flag(text: str) -> bool:
    return DETECTOR.detect(text) is not None


def test_control_characters_and_stray_spacing_are_dropped():
    assert inbound.clean("  my\x00 back\x1b[31m\t hurts \u202e\r\n\r\n\r\n\r\nok ") == (
        "my back [31m hurts\n\nok"
    )


def test_emoji_and_right_to_left_text_are_kept():
    for text in ("my back hurts 😣👍🏽", "👨‍👩‍👧", "ظهري يؤلمني", "שלום"):
        assert inbound.clean(text) == unicodedata.normalize("NFC", text)


def test_lone_surrogates_do_not_break_anything():
    assert inbound.clean("pain \ud800 here") == "pain ? here"


def test_empty_whitespace_and_non_text_get_a_prompt():
    for text in ("", "   ", "\n\t", "\x00\x01", "\u200b", None, 42, ["hi"]):
        assert inbound.screen(text, is_red_flag) == inbound.Screened(None, "inbound.empty")


def test_a_normal_message_passes_cleaned():
    assert inbound.screen(" what is a facet injection?\x00", is_red_flag) == inbound.Screened(
        "what is a facet injection?"
    )


def test_an_over_long_message_gets_a_request_to_write_less():
    text = "tell me about injections. " * 4000  # about 100 KB
    assert inbound.screen(text, is_red_flag) == inbound.Screened(None, "inbound.too_long")


def test_a_red_flag_deep_inside_a_long_message_still_goes_through():
    filler = "I have had back pain for years and tried many things. " * 150  # 8 KB
    text = filler + "Since this morning I can't control my bladder. " + filler
    screened = inbound.screen(text, is_red_flag)
    assert screened.reply is None
    assert len(screened.text) <= inbound.MAX_CHARS
    assert is_red_flag(screened.text) and "bladder" in screened.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000) | st.binary(max_size=3000).map(lambda b: b.decode("latin-1")))
def test_any_text_gives_a_clean_bounded_message_or_a_reply(text):
    screened = inbound.screen(text, is_red_flag)
    assert (screened.text is None) != (screened.reply is None)
    if screened.text is not None:
        assert 0 < len(screened.text) <= inbound.MAX_CHARS
        assert screened.text == screened.text.strip()
        assert not any(
            unicodedata.category(ch) in ("Cc", "Cs") and ch != "\n" for ch in screened.text
        )
