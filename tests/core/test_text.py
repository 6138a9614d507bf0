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
