"""clinic.terms: the spaCy pipeline built from content/terms.yml."""

from __future__ import annotations

import spacy

from clinic.terms import TermFinder, build_pipeline, main


def test_finds_procedures_as_patients_write_them(content):
    finder = TermFinder(content.terms)
    assert finder.topics("ESI vs SI joint??") == ["epidural", "sacroiliac"]
    assert finder.topics("Trigger Point shots or facet injections") == ["trigger_point", "facet"]
    assert finder.topics("how long do the spine shots last") == ["treatments"]
    assert finder.topics("what's the weather tomorrow") == []


def test_labels_body_areas_and_symptoms(content):
    terms = TermFinder(content.terms).find("numbness in my lower back and neck")
    assert [(t.label, t.key) for t in terms] == [
        ("symptom", "numbness"),
        ("body_area", "lumbar"),
        ("body_area", "cervical"),
    ]


def test_saved_pipeline_loads_without_any_download(tmp_path, content):
    assert main(["build", str(tmp_path / "pipeline")]) == 0
    nlp = spacy.load(tmp_path / "pipeline")
    doc = nlp("what are facet injections used for")
    assert [(e.label_, e.text) for e in doc.ents] == [("procedure", "facet injections")]
    assert build_pipeline(content.terms).pipe_names == nlp.pipe_names == ["entity_ruler"]


def test_evidence_of_a_clinic_question_allows_typos_but_not_look_alikes(content):
    finder = TermFinder(content.terms)
    assert finder.is_about_the_clinic("triger point injecton info pls")
    assert finder.is_about_the_clinic("migrains what r they")
    assert finder.is_about_the_clinic("how can i make an appointment")
    assert not finder.is_about_the_clinic("how do i set up my new iphone")
    assert not finder.is_about_the_clinic("how do i get my money back")
    assert not finder.is_about_the_clinic("")


def test_general_vocabulary_is_tagged_but_is_no_topic_and_no_evidence(tmp_path, content):
    assert main(["build", str(tmp_path / "pipeline")]) == 0
    doc = spacy.load(tmp_path / "pipeline")("sciatica in my left leg after knee replacement")
    assert [(e.label_, e.text) for e in doc.ents] == [
        ("condition", "sciatica"),
        ("body_area", "left leg"),
        ("procedure", "knee replacement"),
    ]
    finder = TermFinder(content.terms)  # the actions' finder: the clinic's own terms only
    assert finder.topics("does a knee replacement help sciatica") == []
    for text in ("who won the tennis match", "my card is frozen", "is insomnia curable"):
        assert not finder.is_about_the_clinic(text), text
