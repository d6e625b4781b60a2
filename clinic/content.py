"""Load the clinic's content (content/*.yml) and check that it hangs together.

Staff edit the YAML files; this module is the only reader of them. Loading validates that
every answer names passages that exist, that every placeholder is known, and fills in the
clinic's facts (phone, name) so that each fact lives in clinic.yml only.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Values a reply may name besides the clinic's facts; the code that says it fills them in.
REPLY_PLACEHOLDERS = {"topic", "summary", "when", "zone_name", "code", "field"}


class ContentError(ValueError):
    """The content files are inconsistent (a missing passage, an unknown placeholder...)."""


@dataclass(frozen=True)
class Passage:
    """One passage of the clinic's article."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Topic:
    """A short answer on one topic, with the passages it comes from."""

    key: str
    name: str
    answer: str
    passages: tuple[str, ...]
    summary: str | None = None
    lasts: str | None = None

    @property
    def is_treatment(self) -> bool:
        """Treatments carry a one-sentence summary so that two can be compared."""
        return self.summary is not None


@dataclass(frozen=True)
class Content:
    """Everything the assistant may say, with the clinic's facts filled in."""

    clinic: Mapping[str, str]
    schedule: Mapping[str, Any]
    passages: Mapping[str, Passage]
    topics: Mapping[str, Topic]
    replies: Mapping[str, Any]
    terms: Mapping[str, Mapping[str, list[str]]] = field(default_factory=dict)
    red_flags: Mapping[str, Any] = field(default_factory=dict)
    vocabulary: Mapping[str, Mapping[str, list[str]]] = field(default_factory=dict)

    def reply(self, key: str, **extra: str) -> str:
        """A conversation reply from replies.yml; `not_covered.cost` reaches a nested one."""
        node: Any = self.replies
        for part in key.split("."):
            node = node[part]
        return fill(node, self.clinic, **extra)


def fill(text: str, facts: Mapping[str, str], **extra: str) -> str:
    """Replace {placeholders} with the clinic's facts (and any extra values)."""
    values = {**facts, **extra}
    try:
        return string.Formatter().vformat(" ".join(text.split()), (), values)
    except KeyError as error:
        raise ContentError(f"unknown placeholder {error} in {text[:60]!r}") from None


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def content_dir() -> Path:
    """Where the content lives: $CLINIC_CONTENT_DIR, or the project's content/ folder."""
    return Path(os.environ.get("CLINIC_CONTENT_DIR", DEFAULT_CONTENT_DIR))


def load_content(directory: Path | None = None) -> Content:
    """Read and validate the content folder; raise ContentError on any inconsistency."""
    directory = directory or content_dir()
    clinic_file = _read(directory / "clinic.yml")
    clinic = {
        key: " ".join(str(value).split()) for key, value in clinic_file.items() if key != "schedule"
    }
    article = _read(directory / "article.yml")
    passages = {
        item["id"]: Passage(item["id"], item["title"], " ".join(item["text"].split()))
        for item in article["passages"]
    }
    topics = {}
    for key, raw in _read(directory / "answers.yml")["topics"].items():
        missing = [pid for pid in raw["passages"] if pid not in passages]
        if missing:
            raise ContentError(f"answer {key!r} names unknown passages {missing}")
        topics[key] = Topic(
            key=key,
            name=raw["name"],
            answer=fill(raw["answer"], clinic),
            passages=tuple(raw["passages"]),
            summary=fill(raw["summary"], clinic) if raw.get("summary") else None,
            lasts=fill(raw["lasts"], clinic) if raw.get("lasts") else None,
        )
    replies = _read(directory / "replies.yml")
    terms = _read(directory / "terms.yml")
    content = Content(
        clinic=clinic,
        schedule=clinic_file.get("schedule", {}),
        passages=passages,
        topics=topics,
        replies=replies,
        terms=terms,
        red_flags=_read(directory / "red_flags.yml"),
        vocabulary=_read(directory / "vocabulary.yml"),
    )
    _check_placeholders(content)
    return content


def _check_placeholders(content: Content) -> None:
    allowed = set(content.clinic) | REPLY_PLACEHOLDERS

    def walk(node: Any, where: str) -> None:
        if isinstance(node, str):
            unknown = set(PLACEHOLDER.findall(node)) - allowed
            if unknown:
                raise ContentError(f"{where} uses unknown placeholders {sorted(unknown)}")
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(content.replies, "replies")
