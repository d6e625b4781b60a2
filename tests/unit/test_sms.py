from clinic.sms import split_for_sms


def test_short_text_stays_whole():
    assert split_for_sms("One sentence.  Two.") == ["One sentence. Two."]


def test_long_text_splits_at_sentence_ends_within_the_limit():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    parts = split_for_sms(text, limit=100)
    assert all(len(part) <= 100 for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_a_sentence_longer_than_the_limit_is_cut_at_spaces():
    text = "word " * 100
    parts = split_for_sms(text, limit=50)
    assert all(0 < len(part) <= 50 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_empty_text_gives_no_parts():
    assert split_for_sms("   ") == []
