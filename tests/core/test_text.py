from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import ImportFileError
from annotator.core.text import decode, normalise, title_from


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "Türkiye 😀".encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + "Türkiye 😀".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "Türkiye 😀".encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + "Türkiye 😀".encode("utf-32-le"), "utf-32-le"),
        (codecs.BOM_UTF32_BE + "Türkiye 😀".encode("utf-32-be"), "utf-32-be"),
        ("Türkiye 😀".encode("utf-8"), "utf-8"),
    ],
)
def test_bom_decides_else_utf8(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.text == "Türkiye 😀"
    assert decoded.encoding == encoding
    assert not decoded.guessed


def test_legacy_encoding_is_guessed_and_said() -> None:
    text = "Le Kremlin a démenti l'information selon laquelle la Türkiye voulait rendre les systèmes. " * 5
    decoded = decode(text.encode("cp1252"))
    assert decoded.guessed
    assert decoded.text == text


def test_binary_is_rejected() -> None:
    with pytest.raises(ImportFileError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ImportFileError, match="binary"):
        decode(bytes(range(1, 32)) * 20)


def test_broken_utf16_with_bom_is_rejected() -> None:
    with pytest.raises(ImportFileError, match="utf-16-le"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone high surrogate


def test_normalise_crlf_cr_and_bom() -> None:
    raw = "\ufeffa\r\nb\rc\r\n"
    norm = normalise(raw)
    assert norm.text == "a\nb\nc\n"
    # raw offsets of 'a', 'b', 'c' map onto the same characters
    for ch in "abc":
        assert norm.text[norm.offset(raw.index(ch))] == ch
    assert norm.offset(len(raw)) == len(norm.text)


def test_nothing_else_changes() -> None:
    raw = "  e\u0301 \u00e9 \u200d 👩\u200d💻 שלום \t\n"
    assert normalise(raw).text == raw


@given(st.text(alphabet=st.sampled_from(["a", "\r", "\n", "😀", "e", "\u0301", "\ufeff", "ש"]), max_size=40))
def test_normalised_offsets_keep_characters(raw: str) -> None:
    norm = normalise(raw)
    assert "\r" not in norm.text
    for i, ch in enumerate(raw):
        if ch == "\r" and raw[i + 1:i + 2] == "\n":
            continue  # removed
        if i == 0 and ch == "\ufeff":
            continue  # removed
        assert norm.text[norm.offset(i)] == ("\n" if ch == "\r" else ch)


def test_title_from_first_non_empty_line() -> None:
    assert title_from("\n\n  # Heading here  \nbody") == "Heading here"
    assert title_from("x" * 300).endswith("…")
    assert len(title_from("x" * 300)) == 200


def test_refusals_in_words() -> None:
    with pytest.raises(ImportFileError) as nul:
        decode(b"text\x00more")
    assert str(nul.value) == "binary data (it contains NUL bytes), not text"
    with pytest.raises(ImportFileError) as controls:
        decode(b"\x01" * 9 + b"abc")
    assert str(controls.value) == "binary data (control characters), not text"
    with pytest.raises(ImportFileError) as broken:
        decode(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")
    assert str(broken.value) == "not valid utf-16-le despite its byte order mark (unexpected end of data at byte 4)"


def test_a_few_control_characters_are_still_text() -> None:
    # up to 8, or 1% of a longer text: a stray form feed or escape does not make a file binary
    assert decode(b"\x01" * 8 + b"abc").text == "\x01" * 8 + "abc"
    assert decode(b"\x1b" * 12 + b"a" * 1200).text.startswith("\x1b")
    with pytest.raises(ImportFileError):
        decode(b"\x1b" * 13 + b"a" * 1187)
    # tab, line feed, vertical tab, form feed and carriage return are text
    assert decode(b"a\t\n\x0b\x0c\r" * 20).text.startswith("a\t")


def test_titles_are_cut_at_a_word_edge_and_marked() -> None:
    assert title_from("x" * 200) == "x" * 200
    assert title_from("a" * 198 + "  " + "b" * 10) == "a" * 198 + "…"
    assert title_from("abcdef", limit=4) == "abc…"
    assert title_from(" \n\t\n") == "" and title_from("") == ""
    assert title_from("### \n## Second\n") == "Second"


def test_an_offset_before_any_removed_character_is_unchanged() -> None:
    norm = normalise("ab\r\ncd")
    assert [norm.offset(i) for i in range(7)] == [0, 1, 2, 2, 3, 4, 5]
    assert normalise("plain").offset(3) == 3 and normalise("plain").removed == ()
    assert normalise("\ufeffx").removed == (0,) and normalise("\ufeffx").text == "x"
