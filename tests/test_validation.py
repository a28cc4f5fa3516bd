"""Validation of the knowledge base: one fixture file per kind of mistake, exact messages."""

from __future__ import annotations

import io
import shutil

import pytest

from assistant.cli import main
from assistant.errors import KnowledgeInvalid, describe
from assistant.knowledge import MAX_FILE_BYTES, load_knowledge
from assistant.safety_check import checked_knowledge
from tests.helpers import BROKEN

# (fixture file, the knowledge file it replaces, every message expected, in order)
CASES = [
    ("passages-bad-yaml.yaml", "passages.yaml", [
        "passages.yaml, line 6, column 1: this is not valid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at line 4, column 12)"]),
    ("passages-latin1.yaml", "passages.yaml", [
        "passages.yaml, line 2: the file is not UTF-8 text (byte 0xe9); save it with UTF-8 "
        "encoding"]),
    ("clinic-control-character.yaml", "clinic.yaml", [
        "clinic.yaml, line 3, column 17: this is not valid YAML: unacceptable character #x0007: "
        "control characters are not allowed"]),
    ("passages-text-is-list.yaml", "passages.yaml", [
        "passages.yaml, line 6: passage 'swedish-massage': key 'text': expected text, got a list"]),
    ("passages-unknown-key.yaml", "passages.yaml", [
        "passages.yaml, line 6: passage 'swedish-massage': unknown key 'question'; did you mean "
        "'questions'? Allowed keys: id, section, title, text, questions, keywords, source, "
        "items, topic, draft",
        "passages.yaml, line 2: passage 'swedish-massage': key 'questions': missing; every "
        "passage needs 'questions' (2 to 6 ways a visitor might ask for this passage)"]),
    ("passages-duplicate-id.yaml", "passages.yaml", [
        "passages.yaml, line 10: passage 'swedish-massage': key 'id': the id 'swedish-massage' is "
        "used twice (first at line 2); give each passage its own id"]),
    ("passages-empty-title.yaml", "passages.yaml", [
        "passages.yaml, line 4: passage 'swedish-massage': key 'title': is empty; write the "
        "title"]),
    ("passages-missing-text.yaml", "passages.yaml", [
        "passages.yaml, line 2: passage 'swedish-massage': key 'text': is empty; write the "
        "article's text, or list the passages of its 'items'"]),
    ("passages-not-verbatim.yaml", "passages.yaml", [
        "passages.yaml, line 5: passage 'swedish-massage': key 'text': the text must be a "
        "word-for-word quote of the source 'rls-massage-article', but this line is not found in "
        "it: \"Swedish massage cures restless leg syndrome in one session.\". Copy it from the "
        "article exactly; if it comes from another article, import that one first"]),
    ("passages-unknown-source.yaml", "passages.yaml", [
        "passages.yaml, line 9: passage 'swedish-massage': key 'source': the source "
        "'rls-blog-post' is not listed in sources.yaml (known sources: rls-massage-article)"]),
    ("passages-one-question.yaml", "passages.yaml", [
        "passages.yaml, line 7: passage 'swedish-massage': key 'questions': has 1, and needs at "
        "least 2: add 1 more (one a line)"]),
    ("passages-bad-id.yaml", "passages.yaml", [
        "passages.yaml, line 2: passage 'Swedish Massage': key 'id': 'Swedish Massage' is not a "
        "valid id: use lower-case letters, digits and dashes, such as 'swedish-massage'"]),
    ("passages-python-tag.yaml", "passages.yaml", [
        "passages.yaml, line 3, column 12: the YAML tag '!!python/object/apply:os.system' is not "
        "allowed in knowledge files; write plain text, lists and keys"]),
    ("clinic-two-documents.yaml", "clinic.yaml", [
        "clinic.yaml, line 3, column 1: the file holds more than one YAML document (a second "
        "'---'); keep everything in one"]),
    ("synonyms-list-as-key.yaml", "synonyms.yaml", [
        "synonyms.yaml, line 2, column 7: a key must be a word or text, not a list or mapping"]),
    ("sources-not-a-real-date.yaml", "sources.yaml", [
        "sources.yaml, line 5: source 'rls-massage-article': key 'published': '2025-02-30' is "
        "not a real date (day is out of range for month)"]),
    ("safety-bad-tier.yaml", "safety.yaml", [
        "safety.yaml, line 4: safety rule 'blood-clot': key 'tier': expected one of urgent, "
        "support, got emergency"]),
    ("passages-alias-bomb.yaml", "passages.yaml", [
        "passages.yaml, line 1, column 4: YAML anchors and aliases (&name, *name) are not "
        "allowed in knowledge files; write the text out in full"]),
    ("clinic-duplicate-key.yaml", "clinic.yaml", [
        "clinic.yaml, line 6: clinic settings: key 'phone': the key 'phone' appears twice (first "
        "at line 5); keep one"]),
    ("clinic-bad-url.yaml", "clinic.yaml", [
        "clinic.yaml, line 5: clinic settings: key 'booking_url': 'www.example.com/book' is not "
        "a web address; it must start with https://"]),
    ("clinic-http-url.yaml", "clinic.yaml", [
        "clinic.yaml, line 5: clinic settings: key 'booking_url': 'http://granville.example/book' "
        "is not a secure web address (http://); use the address that starts with https://"]),
    ("clinic-phone-number.yaml", "clinic.yaml", [
        "clinic.yaml, line 5: clinic settings: key 'phone': expected text, got a number (put it "
        "in quotes to make it text)"]),
    ("synonyms-not-a-list.yaml", "synonyms.yaml", [
        "synonyms.yaml, line 2: key 'synonyms': expected a list of synonyms, got a mapping of "
        "keys"]),
    ("scope-wrong-top-key.yaml", "scope.yaml", [
        "scope.yaml, line 1: unknown key 'topics'. Allowed keys: not_covered",
        "scope.yaml, line 1: missing the key 'not_covered'"]),
    ("passages-item-not-a-passage.yaml", "passages.yaml", [
        "passages.yaml, line 39: passage 'rls-symptoms': key 'items': the item "
        "'symptom-itchy-feet' is not a passage (passages include: granville-physiotherapy, "
        "massage-overview, massage-techniques, reducing-leg-cramps, reflexology, rls-symptoms, "
        "sleep-quality, swedish-massage, ...)"]),
    ("passages-intro-without-list.yaml", "passages.yaml", [
        "passages.yaml, line 32: passage 'rls-symptoms': key 'text': ends with ':' but has no "
        "list under it: add the list's lines to the text, or name the passages that make up the "
        "list under 'items'"]),
    ("passages-item-in-two-lists.yaml", "passages.yaml", [
        "passages.yaml, line 83: passage 'massage-techniques': key 'items': the item "
        "'symptom-leg-cramps' already belongs to the list of 'rls-symptoms'"]),
    ("kinds-unknown-passage.yaml", "kinds.yaml", [
        "kinds.yaml, line 6: kind of question 'techniques': key 'passages': the passage "
        "'hot-stone-massage' does not exist (passages include: granville-physiotherapy, "
        "massage-overview, massage-techniques, reducing-leg-cramps, reflexology, rls-symptoms, "
        "sleep-quality, swedish-massage, ...)"]),
    ("scope-clinic-not-yes-no.yaml", "scope.yaml", [
        "scope.yaml, line 5: topic 'Booking': key 'clinic': expected yes or no, got sometimes"]),
    ("scope-bad-pattern.yaml", "scope.yaml", [
        "scope.yaml, line 27: topic 'What causes restless legs': key 'words': the pattern "
        "\"what causes + | cause of\" has an empty part around '+' or '|'; write words on both "
        "sides, e.g. \"chest + pain | pressure\""]),
    ("facts-health-claim.yaml", "facts.yaml", [
        "facts.yaml, line 5: clinic fact 'evening': key 'answer': mentions \u201ccramps\u201d, a "
        "symptom. A clinic fact is only about the clinic itself (hours, parking, prices, billing, "
        "access): everything about health must come from an article. Take \u201ccramps\u201d "
        "out, or add it as a passage of an article instead"]),
    ("safety-sample-not-triggered.yaml", "safety.yaml", [
        "safety.yaml, line 9: safety rule 'chest-pain': key 'must_trigger': the sample \"I can't "
        "breathe\" must trigger this rule but does not; change the triggers or the sample"]),
]


def messages(directory) -> list[str]:
    """Every problem found (safety samples included), worded for people, with the folder
    prefix removed."""
    with pytest.raises(KnowledgeInvalid) as caught:
        checked_knowledge(directory)
    prefix = f"{directory}/"
    return [describe(error).removeprefix(prefix) for error in caught.value.errors]


@pytest.mark.parametrize("fixture, target, expected", CASES, ids=[c[0] for c in CASES])
def test_broken_file_is_reported_with_file_line_entry_and_key(kb_copy, fixture, target, expected):
    shutil.copy(BROKEN / fixture, kb_copy / target)
    assert messages(kb_copy) == expected


def test_every_fixture_is_in_the_table():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize(("value", "problem"), [
    ("http://granville.example/book", "is not a secure web address (http://); use the address "
                                      "that starts with https://"),
    ("HTTP://granville.example", "is not a secure web address (http://); use the address that "
                                 "starts with https://"),
    ("javascript:alert(1)", "is not a web address; it must start with https://"),
    ("https://", "is not a web address; it must start with https://"),
    ("https://user@evil.example", "is not a web address; it must start with https://"),
    ("https://granville.example/book now", "is not a web address; it must start with https://"),
])
def test_http_booking_url_is_refused(kb_copy, value, problem):
    clinic = kb_copy / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace('booking_url: ""', f'booking_url: "{value}"'))
    assert messages(kb_copy) == [
        f"clinic.yaml, line 7: clinic settings: key 'booking_url': '{value}' {problem}"]


def test_an_https_booking_url_is_accepted(kb_copy):
    clinic = kb_copy / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace(
        'booking_url: ""', 'booking_url: "https://granville.example/book?when=soon#top"'))
    assert checked_knowledge(kb_copy).clinic.booking_url == \
        "https://granville.example/book?when=soon#top"


def test_missing_file(kb_copy):
    (kb_copy / "smalltalk.yaml").unlink()
    assert messages(kb_copy) == [
        "smalltalk.yaml: file not found; the knowledge folder needs this file"]


def test_oversized_file_is_refused_without_loading(kb_copy):
    (kb_copy / "synonyms.yaml").write_text("synonyms: []\n" + "#" * MAX_FILE_BYTES)
    assert messages(kb_copy) == [
        f"synonyms.yaml: the file is {MAX_FILE_BYTES + 13:,} bytes, over the "
        f"{MAX_FILE_BYTES:,}-byte limit for knowledge files; it was not loaded"]


def test_missing_source_text_names_the_source(kb_copy):
    (kb_copy / "sources" / "rls-massage-article.txt").unlink()
    assert messages(kb_copy) == [
        "sources/rls-massage-article.txt: source 'rls-massage-article': file not found; the "
        "knowledge folder needs this file"]


def test_all_problems_are_reported_at_once(kb_copy):
    shutil.copy(BROKEN / "passages-duplicate-id.yaml", kb_copy / "passages.yaml")
    shutil.copy(BROKEN / "clinic-bad-url.yaml", kb_copy / "clinic.yaml")
    found = messages(kb_copy)
    assert [m.split(",")[0] for m in found] == ["passages.yaml", "clinic.yaml"]


def test_the_loader_alone_does_not_replay_safety_samples(kb_copy):
    shutil.copy(BROKEN / "safety-sample-not-triggered.yaml", kb_copy / "safety.yaml")
    assert [r.id for r in load_knowledge(kb_copy).safety] == ["chest-pain"]


def test_in_memory_override_is_validated_without_touching_disk(kb_copy):
    before = (kb_copy / "passages.yaml").read_bytes()
    text = (BROKEN / "passages-one-question.yaml").read_text()
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy, overrides={"passages.yaml": text})
    assert caught.value.errors[0].key == "questions"
    assert (kb_copy / "passages.yaml").read_bytes() == before


def test_cli_validate_exits_2_and_prints_each_problem(kb_copy):
    shutil.copy(BROKEN / "passages-unknown-key.yaml", kb_copy / "passages.yaml")
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(kb_copy)], out=out, err=err)
    assert code == 2
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert lines[0] == "The knowledge base has 2 problems:"
    assert lines[1] == (f"- {kb_copy}/passages.yaml, line 6: passage 'swedish-massage': unknown "
                        "key 'question'; did you mean 'questions'? Allowed keys: id, section, "
                        "title, text, questions, keywords, source, items, topic, draft")


def test_cli_validate_exits_0_with_a_one_line_summary(kb_copy):
    k = load_knowledge(kb_copy)
    out = io.StringIO()
    assert main(["validate", str(kb_copy)], out=out, err=io.StringIO()) == 0
    assert out.getvalue() == (
        f"{kb_copy}: valid: {len(k.passages)} passages from {len(k.sources)} source(s), "
        f"{len(k.synonyms)} synonym entries, {len(k.safety)} safety rules, "
        f"{len(k.smalltalk)} small-talk replies, {len(k.not_covered)} not-covered topics, "
        f"{len(k.facts)} clinic facts\n")
    assert len(k.facts) == 1


def test_cli_validate_counts_drafts_apart(kb_copy):
    with open(kb_copy / "passages.yaml", "a") as passages:
        passages.write("\n  - id: myofascial-release\n    section: Techniques\n"
                       "    title: Myofascial release\n"
                       "    text: A slow, sustained pressure technique that helps release "
                       "tight connective tissues in the legs.\n"
                       "    questions: [What is myofascial release?, Is it slow?]\n"
                       "    source: rls-massage-article\n    draft: yes\n")
    out = io.StringIO()
    assert main(["validate", str(kb_copy)], out=out, err=io.StringIO()) == 0
    assert ": valid: 10 passages (and 1 drafts) from 1 source(s)," in out.getvalue()
