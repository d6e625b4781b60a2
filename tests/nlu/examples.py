"""Read Rasa NLU YAML files as (text, intent) pairs, and normalise texts for comparison."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from clinic.red_flag_model import nlu_examples


def normalise(text: str) -> str:
    """Lower case, letters and digits only: "What's up?" and "whats up" are the same."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def read_examples(path: Path) -> list[tuple[str, str]]:
    """Every (example text, intent) in an NLU file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        pairs += [(text, block["intent"]) for text in nlu_examples(block["examples"])]
    return pairs


def reply_to(knowledge, text: str, parsed: dict) -> str:
    """What action_answer says to a new conversation's message, given its NLU parse."""
    intent, ranking = parsed["intent"], parsed.get("intent_ranking")
    reply = knowledge.respond(intent["name"], intent["confidence"], text, ranking=ranking)
    return " ".join(reply.texts)


def quotes_the_article(content, reply: str) -> bool:
    """Whether a reply gives an answer or passage from the clinic's article."""
    return any(p.text[:40] in reply for p in content.passages.values()) or any(
        topic.answer in reply for topic in content.topics.values()
    )


def right_answer(knowledge, text: str, want: str, parsed: dict) -> bool:
    """Whether the patient reads the reply meant for the true intent.

    An off-topic message is answered right when the reply quotes nothing from the article.
    """
    reply = reply_to(knowledge, text, parsed)
    if want == "out_of_scope":
        return not quotes_the_article(knowledge.content, reply)
    return reply == " ".join(knowledge.respond(want, 1.0, text).texts)
