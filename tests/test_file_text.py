"""A knowledge file's bytes as the loader reads them: UTF-8 checked, a BOM dropped, any line
ends and characters beyond Latin-1 (an emoji), and the lines errors name, in `|` blocks too.

The loader parses the file's UTF-8 bytes (reader.utf8) instead of its decoded text: these pin
that both read the same and that errors still name the file and the line."""

from __future__ import annotations

import pytest
import yaml

from assistant.errors import KnowledgeError, KnowledgeInvalid, describe
from assistant.knowledge import decode, load_knowledge, parse, plain
from assistant.knowledge.reader import utf8
from assistant.safety_check import checked_knowledge
from tests.helpers import KNOWLEDGE, SHIPPED_KNOWLEDGE, rule, safety_with_block

BLOCK = """\
    must_trigger: |
      # A note, with an emoji 😩 and accents: é, à.
      I'm having thoughts of suicide 😩

      this RLS makes me want to kill myself
"""
FAILING = "my calves cramp after soccer"


def _safety(folder, block: str = BLOCK, **line_ends_and_bom) -> bytes:
    return safety_with_block(folder, block, **line_ends_and_bom)


def _line_of(folder, text: str) -> int:
    lines = (folder / "safety.yaml").read_bytes().decode("utf-8-sig").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.strip() == text)


@pytest.mark.parametrize("text", [
    "a: |\n  one 😩\n  two\n",
    "\ufeffa: b\n",
    "\ufeff\ufeffa: b\n",
    "a: |\r\n  one\r\n  two\r\nb: [x, y]\r\n",
    "a: |\r  one\r  two\rb: c\r",
    "a: |\n  one\u0085two\u2028three\n",
    "a: 'one\u0085two\u2028three'\n",
    "a: b\x07\n",
    "a: 'é' # 😩\nb: \"\\u00e9\"\nc: [d, {e: f}]\n",
], ids=["emoji", "bom", "two-boms", "crlf", "cr", "other-breaks", "quoted-other-breaks",
        "control-character", "quoted-flow"])
def test_the_bytes_parse_as_the_text_does(text):
    # Same values, lines, columns and character offsets (the round-trip writer's spans), or
    # the same error.
    raw = text.encode("utf-8")
    assert _parsed(utf8(raw, "f.yaml")) == _parsed(decode(raw, "f.yaml"))


def _parsed(text: str | bytes):
    try:
        return parse(text, "f.yaml")
    except KnowledgeError as error:
        return error.problem, error.line, error.column


def test_utf8_drops_one_bom():
    assert utf8(b"\xef\xbb\xbfa: b\n", "f.yaml") == b"a: b\n"
    assert utf8(b"\xef\xbb\xbf\xef\xbb\xbfa: b\n", "f.yaml") == b"\xef\xbb\xbfa: b\n"
    assert utf8("a: é\n".encode(), "f.yaml") == "a: é\n".encode()


@pytest.mark.parametrize("raw", [
    b"a: b\nc: \xe9\n",
    b"a: [b\nc: d\n# \xff\n",  # after a YAML error: the bytes are what is wrong first
    b"a: b\n...\n# \xff\n",  # after the end of the document
    b"a: |\n  one\n  tw\xc3o\n",  # in a block, a character cut short
    b"a: b\xc0\x80\n",  # an over-long form
    b"a: x\xed\xa0\x80y\n",  # a surrogate
    b"a: \xf4\x90\x80\x80\n",  # past U+10FFFF
    b"\xff\xfea\x00:\x00 \x00b\x00\n\x00",  # UTF-16, which libyaml would read
    b"\xfe\xff\x00a\x00:",
    b"\x00\x00\xfe\xff\x00\x00\x00a",  # UTF-32
    b"\xef\xbb\xbfa: b\nc: \xff\n",
], ids=["latin-1", "after-a-yaml-error", "after-the-end", "in-a-block", "over-long",
        "surrogate", "too-high", "utf-16-le", "utf-16-be", "utf-32", "after-a-bom"])
def test_bytes_that_are_not_utf8_are_refused_as_decode_refuses_them(raw):
    with pytest.raises(KnowledgeError) as expected:
        decode(raw, "f.yaml")
    with pytest.raises(KnowledgeError) as caught:
        parse(utf8(raw, "f.yaml"), "f.yaml")
    assert caught.value.problem.startswith("the file is not UTF-8 text (byte 0x")
    assert (caught.value.problem, caught.value.line) == \
        (expected.value.problem, expected.value.line)


def test_a_bad_byte_after_a_bom_is_the_one_named_with_its_line():
    # The BOM is left out of what is decoded: the error counts from after it.
    with pytest.raises(KnowledgeError) as caught:
        decode(b"\xef\xbb\xbfab\n\xffcd\n", "f.yaml")
    assert (caught.value.problem, caught.value.line) == (
        "the file is not UTF-8 text (byte 0xff); save it with UTF-8 encoding", 2)


def test_a_block_with_an_emoji_loads_with_the_lines_of_its_items(kb_copy):
    _safety(kb_copy)
    knowledge = checked_knowledge(kb_copy)
    assert rule(knowledge, "self-harm").must_trigger == (
        "I'm having thoughts of suicide 😩", "this RLS makes me want to kill myself")
    sample = "this RLS makes me want to kill myself"
    assert knowledge.line("safety.yaml", "self-harm", "must_trigger", sample) == \
        _line_of(kb_copy, sample)


@pytest.mark.parametrize(("crlf", "bom"), [(False, False), (True, False), (False, True),
                                           (True, True)],
                         ids=["lf", "crlf", "bom", "crlf-bom"])
def test_a_failing_sample_after_an_emoji_is_named_with_its_line(kb_copy, crlf, bom):
    _safety(kb_copy, BLOCK.replace("this RLS makes me want to kill myself", FAILING),
            crlf=crlf, bom=bom)
    with pytest.raises(KnowledgeInvalid) as caught:
        checked_knowledge(kb_copy)
    [error] = caught.value.errors
    assert (error.file, error.entry_id, error.key) == ("safety.yaml", "self-harm", "must_trigger")
    assert error.line == _line_of(kb_copy, FAILING)


@pytest.mark.parametrize(("crlf", "bom"), [(False, False), (True, True)], ids=["lf", "crlf-bom"])
def test_line_ends_and_a_bom_change_nothing_that_is_loaded(kb_copy, crlf, bom):
    _safety(kb_copy)
    plain = load_knowledge(kb_copy)
    _safety(kb_copy, crlf=crlf, bom=bom)
    again = load_knowledge(kb_copy)
    assert again.safety == plain.safety
    assert dict(again.lines.exact) == dict(plain.lines.exact)


def test_a_byte_that_is_not_utf8_in_a_block_names_the_file_and_its_line(kb_copy):
    data = _safety(kb_copy)
    path = kb_copy / "safety.yaml"
    path.write_bytes(data.replace(b"this RLS makes", b"this RLS\xff makes"))
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy)
    [error] = caught.value.errors
    line = data.decode("utf-8").splitlines().index(
        "      this RLS makes me want to kill myself") + 1
    assert describe(error) == (f"{kb_copy}/safety.yaml, line {line}: the file is not UTF-8 "
                               "text (byte 0xff); save it with UTF-8 encoding")


def test_an_unsaved_edit_with_an_emoji_is_read_like_the_same_file(kb_copy):
    _safety(kb_copy)
    text = (kb_copy / "safety.yaml").read_text(encoding="utf-8")
    edited = load_knowledge(kb_copy, overrides={"safety.yaml": text})
    assert edited.safety == load_knowledge(kb_copy).safety


# Plain scalars starting with each kind of first character the YAML rules look at (and others);
# "=", "<<" and a date that does not exist are left out: the reader refuses or keeps them apart.
SCALARS = ["text", "Text with words", "title", "yes", "Yes", "no", "on", "off", "true", "False",
           "null", "Null", "~", "", "12", "-3", "+4", "0x1F", "0o17", "1_000", "1.5", ".5",
           "-.inf", ".NaN", "1e3", "2025-02-03", "2025-02-03 10:00:00", "tiny", "nothing",
           "00:10", "Oslo", "-x", "é", "😩 plain"]


@pytest.mark.parametrize("value", SCALARS)
def test_a_plain_scalar_is_typed_as_safe_load_types_it(value):
    text = f"key: {value}\nlist: [{value}]\n"
    assert plain(parse(text.encode("utf-8"), "f.yaml")) == yaml.safe_load(text)


@pytest.mark.parametrize("folder", [KNOWLEDGE, SHIPPED_KNOWLEDGE], ids=["fixture", "shipped"])
def test_knowledge_files_read_as_safe_load_reads_them(folder):
    for path in sorted(folder.glob("*.yaml")):
        raw = path.read_bytes()
        assert plain(parse(utf8(raw, path.name), path.name)) == yaml.safe_load(raw), path.name
