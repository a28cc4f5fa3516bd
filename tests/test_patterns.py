"""The pattern language staff write triggers in: syntax, matching, negation, typos, masking."""

from __future__ import annotations

import pytest

from assistant.patterns import (
    BREAK,
    Matcher,
    PatternError,
    clauses,
    masked,
    parse,
    sentences,
)


def match(pattern: str, text: str, known: frozenset[str] = frozenset()) -> bool:
    matcher = Matcher([("p", parse(pattern))], known)
    return any("p" in matcher.find(matcher.corrected(clauses(s))) for s in sentences(text))


def test_parse_reads_groups_alternatives_and_wildcards():
    assert parse("chest + pain | short of breath | swell*").groups == (
        (("chest",),), (("pain",), ("short", "of", "breath"), ("swell*",)))


@pytest.mark.parametrize("text, problem", [
    ("chest + ", "empty part"),
    ("pain || ache", "empty part"),
    ("sw*ell", "only at the end"),
    ("a*", "at least 3 letters"),
    ("two words*", None),  # a wildcard on the last word of a phrase is fine
    ("_ can do", "cannot come first"),
])
def test_parse_refuses_what_cannot_be_read(text, problem):
    if problem is None:
        parse(text)
        return
    with pytest.raises(PatternError, match=problem):
        parse(text)


@pytest.mark.parametrize("pattern, text, expected", [
    ("blood clot", "I think it's a blood clot", True),
    ("blood clot", "the clot of blood", False),                     # words in a row
    ("chest + pain | pressure", "pressure in my chest", True),      # groups in any order
    ("chest + pain", "my chest is fine. The pain is in my leg", False),  # one sentence only
    ("swell*", "my ankle swelled up", True),
    ("swell*", "it's swollen", False),
    ("hope* + sleep", "hoping to sleep tonight", True),            # hope* also matches hoping
    ("die* + want", "i want dying to stop", True),                 # die* also matches dying
    ("leg + swollen", "my legs are swollen", False),                # exact words: legs != leg
    ("dont want to live", "I don't want to live like this", True),  # apostrophes dropped
    ("im done", "I'M DONE", True),
    ("cafe", "the Café", True),                                     # accents folded
    ("what can _ do", "what can she do about it", True),            # _ is any one word
    ("what can _ do", "what can do", False),
])
def test_matching(pattern, text, expected):
    assert match(pattern, text) is expected


@pytest.mark.parametrize("text, expected", [
    ("no chest pain at all", False),
    ("I don't have any chest pain", False),          # "dont" three words before "chest"
    ("chest pain, not in my legs", True),            # the negation is in another clause
    ("I never thought I'd say it but my chest hurts with pain", True),  # "but" ends the clause
    ("not sure if it is chest pain", True),          # too far before to negate it
    ("no cough or chest pain", False),               # "or" carries the negation on
    ("I don't have a fever, cough or chest pain", True),  # not across a clause's end
    ("not sure if it's a cold or chest pain", True),  # "not" reaches "sure" only
])
def test_a_negation_just_before_a_group_cancels_it(text, expected):
    assert match("chest + pain", text) is expected


def test_a_pattern_that_starts_with_a_negation_is_not_cancelled_by_it():
    assert match("no reason to live", "there's no reason to live")
    assert not match("reason to live", "I have no reason to live")


@pytest.mark.parametrize("text, expected", [
    ("I've had sucidal thoughts", True),       # one typo in a long word
    ("suicidle thoughts", True),               # two typos in a word of 8+ letters
    ("thoughts of suicide", True),
    ("sociable thoughts", False),              # a real English word is never a typo
])
def test_typos_of_pattern_words_match(text, expected):
    assert match("suicid* + thought*", text) is expected


@pytest.mark.parametrize("text, expected", [
    ("how much does it costt", True),          # a typo of the whole word
    ("my calves contort at night", False),     # not a typo of a short stem's start
])
def test_a_short_wildcard_stem_matches_a_typo_of_the_whole_word_only(text, expected):
    assert match("cost*", text) is expected


def test_known_words_are_never_read_as_typos():
    assert match("right side", "numb on my rigth side")
    assert not match("right side", "numb on my nigth side", known=frozenset({"nigth"}))


def test_clauses_mark_their_breaks():
    assert clauses("My calf is red, but it's fine - really") == [
        "my", "calf", "is", "red", BREAK, "but", "its", "fine", BREAK, "really"]


def test_sentences_split_at_ends_and_line_breaks():
    assert sentences("Hi. My leg hurts!Is it a clot?\nhelp") == [
        "Hi.", "My leg hurts!", "Is it a clot?", "help"]
    assert sentences("Pills (Requip, etc.) for years. Dr. Roe said no.") == [
        "Pills (Requip, etc.) for years.", "Dr. Roe said no."]


def test_find_gives_spans_and_masked_hides_them():
    matcher = Matcher([("kill", parse("killing me")), ("end", parse("end it all"))])
    tokens = clauses("my legs are killing me and I want to end it all")
    found = matcher.find(tokens)
    assert found["kill"] == [(3, 5)]
    assert "end" in matcher.find(masked(tokens, found["kill"]))
    assert "kill" not in matcher.find(masked(tokens, found["kill"]))


def test_many_unknown_words_stay_fast_enough_to_be_correct():
    """A message of hundreds of unknown words is still read (each typo check is bounded)."""
    matcher = Matcher([("p", parse("suicid*"))])
    tokens = clauses(" ".join(f"xq{i}zzv" for i in range(300)) + " suicidle")
    assert "p" in matcher.find(matcher.corrected(tokens))
