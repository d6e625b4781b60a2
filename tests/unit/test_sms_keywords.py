"""clinic.sms: keywords, segment counts and numbered options for text messages."""

from __future__ import annotations

import pytest

from clinic.sms import chosen_option, keyword, segments, with_options


@pytest.mark.parametrize(
    "text, word",
    [("STOP", "stop"), (" unsubscribe. ", "stop"), ("Start", "start"), ("HELP", "help"),
     ("stop booking", None), ("please help me book", None), ("", None)],
)  # fmt: skip
def test_keywords_are_whole_messages(text, word):
    assert keyword(text) == word


def test_segments_follow_gsm7_and_ucs2():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("🙂" * 35) == 1  # each emoji is two UCS-2 units
    assert segments("é" * 70) == 1  # é is in GSM-7
    assert segments("ł" * 71) == 2  # ł is not


def test_options_are_numbered_and_map_back():
    assert with_options("Book?", ["Yes", "No"]) == "Book?\nReply 1 for Yes, 2 for No."
    assert with_options("Hello", []) == "Hello"
    assert chosen_option("2", ["/a", "/b"]) == "/b"
    assert chosen_option("3", ["/a", "/b"]) is None
    assert chosen_option("two", ["/a", "/b"]) is None


def test_long_replies_are_split_into_messages_of_two_segments_at_most():
    from clinic.sms import sms_parts

    latin = " ".join(f"Sentence {i} of a long answer." for i in range(30))
    assert all(segments(part) <= 2 for part in sms_parts(latin))
    assert " ".join(sms_parts(latin)) == latin
    emoji = " ".join(f"Step {i} 🙂." for i in range(30))
    assert len(sms_parts(emoji)) > 1
    assert all(segments(part) <= 2 for part in sms_parts(emoji))


def test_a_short_reply_keeps_its_line_breaks():
    from clinic.sms import sms_parts

    assert sms_parts("Open times:\n1) Mon\n2) Tue") == ["Open times:\n1) Mon\n2) Tue"]
    assert sms_parts("  ") == []
