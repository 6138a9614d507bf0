"""Cue rules: sentences and clauses that hold a label's cue words become suggestions of that label.

Sentences are cut by the one sentence rule of the project
(``claim_suggestions.sentences``, stated in docs/claims.md): a line break
ends one, and so does ``. ! ? …`` before whitespace and a capital, a digit or
an opening quote, unless the word before the full stop is an abbreviation. A
maintained segmenter (pysbd) would add a dependency to split news text this
rule already splits; the seeds' hard cases ("Dec. 12", "U.S.", quotes ending
in a full stop) pass with it.

What a cue proposes (docs/suggestions.md, "The rules"):

- ``denial`` (and any label but the two below): the whole sentence holding it.
- ``claim``: the clause the cue points to. A cue followed by "that" (within
  a few words: "had reported, citing sources, that") points to what follows
  "that"; a short attribution at the start ("According to Bloomberg, ...")
  to what follows its comma; one at the end ("..., Bloomberg informs.") to
  what precedes its comma. An attribution left at either end of that clause
  is cut off as well; of two clauses one inside the other, the inner one is
  kept. A sentence whose cues point to no clause is proposed
  whole, unless a denial cue is in it too (a denial sentence's claim is the
  clause it denies, not the sentence).
- ``background``: the whole sentence, only if no other label's cue is in it
  ("Previously, Turkish military sources told ... not on the table" is a denial).

A clause never keeps its final punctuation or the quotes around it; a whole
sentence keeps what the sentence rule gives it. The score grows with the
number of different cues behind a suggestion: 1 - 0.4^n (0.6, 0.84, 0.94...).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .claim_suggestions import sentences
from .errors import AnnotatorError
from .suggestions import Candidate, Cue, SuggestionError, SuggestReport

if TYPE_CHECKING:
    from .store import Store

CLAUSE_LABEL = "claim"
"""The label whose cues point to a clause (what was reported) rather than a whole sentence."""
DENIAL_LABEL = "denial"
BACKGROUND_LABEL = "background"

_QUOTES = "\"“”„«»‘’'"
_WORD_START = r"(?<!\w)"
_THAT_AFTER_CUE = re.compile(r"[^.;:!?\n]{0,40}?(?<!\w)that(?!\w)", re.IGNORECASE)
_LEADING_ATTRIBUTION_WORDS = 6
_TRAILING_ATTRIBUTION_WORDS = 15
_WORD = re.compile(r"\w+")
_TRIM_END = re.compile(r"[\s.,;:!?…" + re.escape(_QUOTES) + r"]+$")
_TRIM_START = re.compile(r"^[\s" + re.escape(_QUOTES) + r"]+")

Progress = Callable[[int, int, str], bool]


class SuggestCancelled(AnnotatorError):
    """The person cancelled a run of suggestions; nothing was stored."""


def cue_pattern(phrase: str) -> str:
    """The regular expression of one cue phrase (the syntax is in suggestions.DEFAULT_CUES' comment).

    Raises SuggestionError for a phrase with nothing to match (no letter, digit or ``#``).
    """
    words = phrase.split()
    if not words or not any(ch.isalnum() or ch == "#" for ch in phrase):
        raise SuggestionError(f"the cue {phrase!r} has no letter or digit to look for")
    parts = []
    for word in words:
        wildcard = word.endswith("*") and len(word) > 1
        body = word[:-1] if wildcard else word
        pattern = "".join(f"[{re.escape(_QUOTES)}]" if ch == '"' else r"\d" if ch == "#" else re.escape(ch)
                          for ch in body)
        parts.append(pattern + (r"\w*" if wildcard else ""))
    first, last = phrase.strip()[0], phrase.strip().rstrip("*")[-1]
    head = _WORD_START if first.isalnum() or first == "#" else ""
    tail = r"(?!\w)" if last.isalnum() or last == "#" else ""
    return head + r"\s+".join(parts) + tail


@dataclass(frozen=True)
class CueSet:
    """The cues of every label, compiled: one regular expression per label, longest phrases first."""

    patterns: dict[str, re.Pattern[str]]
    phrases: dict[str, list[str]]

    @classmethod
    def of(cls, cues: Iterable[Cue]) -> CueSet:
        by_label: dict[str, list[str]] = {}
        for cue in cues:
            by_label.setdefault(cue.label, []).append(cue.phrase)
        patterns, phrases = {}, {}
        for label, found in by_label.items():
            ordered = sorted(dict.fromkeys(found), key=len, reverse=True)
            phrases[label] = ordered
            patterns[label] = re.compile(_alternation(ordered), re.IGNORECASE)
        return cls(patterns, phrases)

    def matches(self, label: str, text: str) -> list[tuple[int, int, str]]:
        """(start, end, cue phrase) of every match of the label's cues in ``text``."""
        pattern = self.patterns.get(label)
        if pattern is None:
            return []
        return [(m.start(), m.end(), self.phrases[label][int(m.lastgroup[1:])]) for m in pattern.finditer(text)
                if m.lastgroup is not None]


def _alternation(phrases: list[str]) -> str:
    """One expression for all of a label's cues, a named group each (longest first: the longest match wins).

    Cues that start a word share one word-start check and a look-ahead for
    their first characters: ``re`` tries every alternative at every position
    otherwise, and this runs 4 to 8 times faster on news text.
    """
    at_word, elsewhere, firsts = [], [], set()
    for i, phrase in enumerate(phrases):
        pattern = cue_pattern(phrase)
        if pattern.startswith(_WORD_START):
            at_word.append(f"(?P<c{i}>{pattern[len(_WORD_START):]})")
            first = phrase.strip()[0]
            firsts.add(r"\d" if first == "#" else re.escape(first))
        else:
            elsewhere.append(f"(?P<c{i}>{pattern})")
    parts = [f"{_WORD_START}(?=[{''.join(sorted(firsts))}])(?:{'|'.join(at_word)})"] if at_word else []
    return "|".join(parts + elsewhere)


def _score(cues: set[str]) -> float:
    return round(1 - 0.4 ** len(cues), 4)


def _reason(cues: set[str]) -> str:
    return ", ".join(f'cue "{c}"' for c in sorted(cues))


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding spaces, quotes and final punctuation."""
    piece = text[start:end]
    tail = _TRIM_END.search(piece)
    if tail:
        end -= len(tail.group(0))
    head = _TRIM_START.match(text[start:end])
    if head:
        start += len(head.group(0))
    return start, end


def _commas(text: str, start: int, end: int) -> list[int]:
    """Positions of the commas in ``[start, end)`` that separate clauses (not those inside numbers)."""
    return [i for i in range(start, end) if text[i] == "," and not (0 < i < len(text) - 1 and text[i - 1].isdigit()
                                                                     and text[i + 1].isdigit())]


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _strip_attribution(text: str, start: int, end: int, cues: CueSet) -> tuple[int, int]:
    """Cut an attribution ("..., according to a source who spoke to RIA Novosti") off either end of a clause."""
    commas = _commas(text, start, end)
    if commas:
        last = commas[-1]
        if _words(text, last, end) <= _TRAILING_ATTRIBUTION_WORDS and cues.matches(CLAUSE_LABEL, text[last:end]):
            end = last
        first = commas[0]
        if first < end and _words(text, start, first) <= _LEADING_ATTRIBUTION_WORDS and cues.matches(
                CLAUSE_LABEL, text[start:first]):
            start = first + 1
    return trimmed(text, start, end)


def claim_clause(text: str, sentence: tuple[int, int], cue: tuple[int, int, str],
                 cues: CueSet) -> tuple[int, int] | None:
    """The clause a claim cue in ``sentence`` points to, or None if it points to none (see the module doc)."""
    s_start, s_end = sentence
    c_start, c_end, phrase = cue
    clause: tuple[int, int] | None = None
    if phrase.split()[-1].casefold() == "that":
        clause = (c_end, s_end)
    elif (that := _THAT_AFTER_CUE.match(text, c_end, s_end)) is not None:
        clause = (that.end(), s_end)
    else:
        commas = _commas(text, s_start, s_end)
        before = [i for i in commas if i < c_start]
        after = [i for i in commas if i >= c_end]
        if after and not before and _words(text, s_start, after[0]) <= _LEADING_ATTRIBUTION_WORDS:
            clause = (after[0] + 1, s_end)
        elif before and not after and _words(text, before[-1], s_end) <= _TRAILING_ATTRIBUTION_WORDS:
            clause = (s_start, before[-1])
    if clause is None:
        return None
    start, end = _strip_attribution(text, *clause, cues)
    if end - start < 3 or not _WORD.search(text, start, end):
        return None
    return start, end


def _sentence_candidates(text: str, sentence: tuple[int, int], found: dict[str, list[tuple[int, int, str]]],
                         cues: CueSet) -> list[Candidate]:
    out: list[Candidate] = []
    labels_here = {label for label, matches in found.items() if matches}
    for label, matches in found.items():
        if not matches or label == CLAUSE_LABEL or (label == BACKGROUND_LABEL and labels_here - {label}):
            continue
        phrases = {m[2] for m in matches}
        out.append(Candidate(*sentence, label, _score(phrases), _reason(phrases)))
    claims = found.get(CLAUSE_LABEL) or []
    clauses: dict[tuple[int, int], set[str]] = {}
    for match in claims:
        clause = claim_clause(text, sentence, match, cues)
        if clause is not None:
            clauses.setdefault(clause, set()).add(match[2])
    # Of nested clauses the innermost is the claim: "There were earlier reports claiming that X,
    # according to a source" points to X twice, once through the report around it.
    clauses = {c: p for c, p in clauses.items()
               if not any(o != c and c[0] <= o[0] and o[1] <= c[1] for o in clauses)}
    if clauses:
        all_phrases = {m[2] for m in claims}
        out += [Candidate(s, e, CLAUSE_LABEL, _score(all_phrases), _reason(phrases))
                for (s, e), phrases in clauses.items()]
    elif claims and not found.get(DENIAL_LABEL):
        phrases = {m[2] for m in claims}
        out.append(Candidate(*sentence, CLAUSE_LABEL, _score(phrases), _reason(phrases)))
    return out


def _by_sentence(text: str, spans: list[tuple[int, int]], cues: CueSet) -> list[dict[str, list[tuple[int, int, str]]]]:
    """Each sentence's cue matches per label (one pass of each label's expression over the whole text)."""
    starts = [s for s, _e in spans]
    found: list[dict[str, list[tuple[int, int, str]]]] = [{} for _ in spans]
    for label in cues.patterns:
        for match in cues.matches(label, text):
            i = bisect_right(starts, match[0]) - 1
            if i >= 0 and match[1] <= spans[i][1]:
                found[i].setdefault(label, []).append(match)
    return found


def rule_candidates(text: str, cues: CueSet) -> list[Candidate]:
    """What the cue rules propose for one text, in text order."""
    spans = sentences(text)
    out: list[Candidate] = []
    for sentence, found in zip(spans, _by_sentence(text, spans, cues), strict=True):
        if found:
            out += _sentence_candidates(text, sentence, found, cues)
    return sorted(out, key=lambda c: (c.start, c.end, c.label))


def text_units(text: str, cues: CueSet) -> list[tuple[int, int]]:
    """What a model scores: every sentence, and every clause a claim cue points to, in text order."""
    spans = sentences(text)
    units = set(spans)
    for sentence, found in zip(spans, _by_sentence(text, spans, cues), strict=True):
        for match in found.get(CLAUSE_LABEL, ()):
            clause = claim_clause(text, sentence, match, cues)
            if clause is not None:
                units.add(clause)
    return sorted(units)


def suggest_with_rules(store: Store, article_ids: Sequence[int] = (), *, actor: str,
                       progress: Progress | None = None, language: str | None = None) -> SuggestReport:
    """Run the cue rules over the articles (all if none given) and store what they propose (source ``rules``).

    ``progress(done, total, what)`` returning False cancels before anything is stored.
    """
    cues = CueSet.of(store.cues(language=language))
    ids = list(article_ids) or [a.id for a in store.articles()]
    candidates: dict[int, list[Candidate]] = {}
    for done, article_id in enumerate(ids):
        if progress is not None and done % 50 == 0 and progress(done, len(ids), "cue rules") is False:
            raise SuggestCancelled("suggestions cancelled; nothing was stored")
        candidates[article_id] = rule_candidates(store.article_text(article_id), cues)
    report = store.put_suggestions("rules", candidates, actor=actor)
    if progress is not None:
        progress(len(ids), len(ids), "cue rules")
    return report


__all__ = [
    "BACKGROUND_LABEL", "CLAUSE_LABEL", "DENIAL_LABEL", "CueSet", "SuggestCancelled", "claim_clause", "cue_pattern",
    "rule_candidates", "suggest_with_rules", "text_units", "trimmed",
]
