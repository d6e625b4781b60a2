"""Find the clinic's terms (procedures, conditions, body areas, symptoms) in a message.

A blank English spaCy pipeline with an entity ruler, built from content/terms.yml: no
downloaded model is needed. The same pipeline is saved to disk for Rasa's NLU
(`python -m clinic.terms build DIR`, see config.yml), and built in memory by the actions.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

# Labels whose matches name a topic the assistant can answer on.
TOPIC_LABELS = ("procedure", "condition")
# Labels whose words show that a message is about the clinic's subject (body areas such as
# "back" or "neck" are too common in other talk to count), and those matched with typos too.
EVIDENCE_LABELS = ("procedure", "condition", "symptom", "service")
FUZZY_LABELS = ("procedure", "condition", "symptom")
# How close a misspelt word must be to a clinic word ("injecton", "migrains", "triger").
FUZZY_CUTOFF = 0.84
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Term:
    """One term found in a message: its label, the key it stands for, and the words used."""

    label: str
    key: str
    text: str


Terms = Mapping[str, Mapping[str, list[str]]]  # label -> key -> phrases


def build_pipeline(terms: Terms, vocabulary: Terms | None = None) -> Language:
    """A blank English pipeline whose entity ruler holds one pattern per phrase.

    The pipeline Rasa extracts entities with knows the general `vocabulary` too; the one
    the actions use (TermFinder) only the clinic's terms, its topics and evidence.
    """
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    patterns = [
        {"label": label, "pattern": phrase, "id": key}
        for source in (terms, vocabulary or {})
        for label, keys in source.items()
        for key, phrases in keys.items()
        for phrase in phrases
    ]
    ruler.add_patterns(patterns)
    return nlp


class TermFinder:
    """Finds terms in text with the pipeline built from the content's terms."""

    def __init__(self, terms: Terms):
        self._nlp = build_pipeline(terms)

        def words(labels: tuple[str, ...]) -> set[str]:
            return {
                word
                for label in labels
                for phrases in terms.get(label, {}).values()
                for phrase in phrases
                for word in _WORD.findall(phrase.lower())
                if len(word) >= 4
            }

        # Body-area words inside longer terms ("back" of "failed back") are no evidence.
        self._evidence_words = sorted(words(FUZZY_LABELS) - words(("body_area",)))

    def find(self, text: str) -> list[Term]:
        """Every term in `text`, in the order they appear (the longest match wins)."""
        doc = self._nlp(text)
        return [Term(ent.label_, ent.ent_id_, ent.text) for ent in doc.ents]

    def is_about_the_clinic(self, text: str, ignoring: Collection[str] = ()) -> bool:
        """Whether `text` names a treatment, condition, symptom or a visit (typos allowed).

        Terms of the keys in `ignoring` don't count (typos are only allowed in the words of
        treatments, conditions and symptoms).
        """
        found = self.find(text)
        if any(t.label in EVIDENCE_LABELS and t.key not in ignoring for t in found):
            return True
        return any(
            difflib.get_close_matches(word, self._evidence_words, n=1, cutoff=FUZZY_CUTOFF)
            for word in _WORD.findall(text.lower())
            if len(word) >= 5
        )

    def topics(self, text: str) -> list[str]:
        """Keys of the procedures and conditions `text` names, first mention first, no repeats."""
        keys: list[str] = []
        for term in self.find(text):
            if term.label in TOPIC_LABELS and term.key not in keys:
                keys.append(term.key)
        return keys


def main(argv: list[str]) -> int:
    """`python -m clinic.terms build DIR`: save the pipeline where Rasa's SpacyNLP loads it."""
    from clinic.content import load_content

    if len(argv) != 2 or argv[0] != "build":
        print("usage: python -m clinic.terms build DIR", file=sys.stderr)
        return 2
    content = load_content()
    build_pipeline(content.terms, content.vocabulary).to_disk(Path(argv[1]))
    print(f"saved the clinic's spaCy pipeline to {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
