"""The content folder: consistent, sized for SMS, and saying nothing the article doesn't."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from clinic.content import ContentError, load_content
from clinic.sms import SMS_LIMIT

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_TOPICS = {
    "compare", "facet", "trigger_point", "fluoroscopy", "non_surgical", "sacroiliac",
    "spinal_cord_stimulation", "sympathetic_block", "epidural", "procedure", "relief_onset",
    "no_relief", "contact", "migraine", "failed_back", "meditation", "pinched_nerve", "yoga",
    "telehealth",
}  # fmt: skip
# Words an answer may use beyond its passages: plain connective words, not medical claims.
PLAIN_WORDS = {
    "about", "also", "along", "answer", "back", "besides", "both", "build", "call", "calm",
    "causing", "clinic", "clinic's", "does", "doesn't", "down", "ease", "everyday", "from",
    "happen", "help", "into", "live", "means", "more", "much", "named", "offers", "options",
    "other", "over", "people", "say", "some", "start", "stop", "suits", "that", "their",
    "them", "then", "they", "they're", "this", "through", "what", "when", "whether", "which",
    "with", "your", "visit", "done", "makes", "watches", "less", "briefly", "behind",
    "given", "depends", "treatment", "article", "headaches", "providing", "healthcare",
    "ask", "any", "after", "spine", "steroid", "there", "used", "uses", "give", "treatments",
}  # fmt: skip


def test_the_article_has_its_typos_fixed(content):
    article = " ".join(p.text for p in content.passages.values())
    for typo in ("May patients", "reduce you pain", "muscles ability", "9725961059"):
        assert typo not in article
    assert "972-596-1059" in article


def test_every_required_topic_has_an_answer(content):
    assert set(content.topics) >= REQUIRED_TOPICS


@pytest.mark.parametrize("key", sorted(REQUIRED_TOPICS))
def test_answer_with_offer_fits_an_sms(content, key):
    topic = content.topics[key]
    for text in filter(None, (topic.answer, topic.summary, topic.lasts)):
        assert len(f"{text} {content.reply('offer')}") <= SMS_LIMIT, text


def _stems(text: str) -> set[str]:
    return {word[:5] for word in re.findall(r"[a-z][a-z'-]+", text.lower())}


@pytest.mark.parametrize("key", sorted(REQUIRED_TOPICS))
def test_answers_use_only_words_of_their_passages(content, key):
    """A crude but real guard: every longer word of an answer is in its passages."""
    topic = content.topics[key]
    passages = [content.passages[p] for p in topic.passages]
    source = _stems(" ".join(f"{p.title} {p.text}" for p in passages))
    for text in filter(None, (topic.answer, topic.summary, topic.lasts)):
        words = {w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if len(w) > 3}
        foreign = {w for w in words - PLAIN_WORDS if w[:5] not in source}
        assert not foreign, f"{key}: {sorted(foreign)} not in passages {topic.passages}"


def test_the_phone_number_is_filled_in_from_clinic_yml(content):
    assert "972-596-1059" in content.topics["contact"].answer
    assert "{phone}" not in content.reply("not_covered.cost")
    assert "972-596-1059" in content.reply("not_covered.cost")


def test_the_phone_number_is_written_in_one_place_only():
    """Besides the article's own text, only clinic.yml holds the phone number."""
    holders = []
    for folder in ("content", "clinic", "actions", "data"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and re.search(r"596.?1059", path.read_text(errors="ignore")):
                holders.append(path.relative_to(ROOT).as_posix())
    for path in ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml"):
        assert "1059" not in (ROOT / path).read_text()
    assert sorted(holders) == ["content/article.yml", "content/clinic.yml"]


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def test_an_answer_naming_a_missing_passage_is_refused(tmp_path):
    folder = _copy_content(tmp_path)
    answers = yaml.safe_load((folder / "answers.yml").read_text())
    answers["topics"]["facet"]["passages"] = ["no-such-passage"]
    (folder / "answers.yml").write_text(yaml.safe_dump(answers))
    with pytest.raises(ContentError, match="no-such-passage"):
        load_content(folder)


def test_an_unknown_placeholder_is_refused(tmp_path):
    folder = _copy_content(tmp_path)
    replies = (
        (folder / "replies.yml").read_text().replace("the clinic at {phone}", "the clinic at {fax}")
    )
    (folder / "replies.yml").write_text(replies)
    with pytest.raises(ContentError, match="fax"):
        load_content(folder)


def test_an_edited_answer_is_read_from_the_files(tmp_path):
    folder = _copy_content(tmp_path)
    answers = (folder / "answers.yml").read_text()
    edited = answers.replace("Telehealth means providing", "Telehealth (edited) means providing")
    (folder / "answers.yml").write_text(edited)
    assert load_content(folder).topics["telehealth"].answer.startswith("Telehealth (edited)")


def test_every_phrase_of_terms_and_vocabulary_has_one_label_and_key(content):
    seen: dict[str, tuple[str, str]] = {}
    for source in (content.terms, content.vocabulary):
        for label, keys in source.items():
            for key, phrases in keys.items():
                for phrase in phrases:
                    assert phrase == phrase.lower(), phrase
                    assert seen.setdefault(phrase, (label, key)) == (label, key), phrase
    assert set(content.vocabulary) <= {"procedure", "condition", "body_area", "symptom"}


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _no_repeated_keys(loader, node, deep=False):
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"line {node.start_mark.line + 1}: repeated keys {repeated}")
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_repeated_keys)


@pytest.mark.parametrize("path", sorted((ROOT / "content").glob("*.yml")), ids=lambda p: p.name)
def test_no_content_file_gives_a_key_twice(path):
    """A second `feel:` under red_flags.yml's spellings would silently drop the first's words."""
    assert yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)


def test_the_strict_loader_refuses_a_repeated_key():
    with pytest.raises(ValueError, match="repeated keys"):
        yaml.load("a: [1]\nb: 2\na: [3]\n", Loader=_StrictLoader)
