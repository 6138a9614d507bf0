from __future__ import annotations

from annotator.core.tokens import is_punctuation, sentence_ends, tokenize


def _words(text: str, cuts: list[int] | None = None) -> list[str]:
    return [text[a:b] for a, b in tokenize(text, cuts or [])]


def test_the_stated_rule() -> None:
    assert _words("Peskov: S-400s don't cost 3.5 bn, 1,000 said.") == [
        "Peskov", ":", "S-400s", "don't", "cost", "3.5", "bn", ",", "1,000", "said", "."]
    # combining marks stay on their letter; emoji sequences and flags are one token
    assert _words("e\u0301te\u0301 👩\u200d💻 👍🏽 🇹🇷🇹🇷 שלום, مرحبا") == [
        "e\u0301te\u0301", "👩\u200d💻", "👍🏽", "🇹🇷", "🇹🇷", "שלום", ",", "مرحبا"]
    assert _words("a\u00a0b\tc\n\nd") == ["a", "b", "c", "d"]


def test_cuts_split_tokens_and_each_piece_stands_alone() -> None:
    assert _words("Kremlin", [3]) == ["Kre", "mlin"]
    # a rebuilt "don 't" tokenises as the cut did
    assert _words("don't", [3]) == ["don", "'", "t"] == _words("don 't")
    assert _words("👩\u200d💻", [1]) == ["👩", "\u200d💻"] == _words("👩 \u200d💻")


def test_punctuation() -> None:
    assert is_punctuation(",") and is_punctuation("«") and is_punctuation("…")
    assert not is_punctuation("😀") and not is_punctuation("$") and not is_punctuation("a")


def test_sentences_end_at_line_breaks_and_before_a_capital() -> None:
    text = "He said so. Then he left! e.g. this stays.\nNew line. \"Quoted.\" Next"
    tokens = tokenize(text)
    pairs = zip(tokens, sentence_ends(text, tokens), strict=True)
    ends = [(text[a:b], i) for i, ((a, b), end) in enumerate(pairs) if end]
    # "left!" and "e.g." come before lower case: no break there
    assert [t for t, _ in ends] == [".", ".", ".", "\"", "Next"]
    assert text[tokens[ends[3][1] - 1][0]] == "."  # the closing quote goes with its sentence
