"""What an export passes on: every span held against its article's text, whatever the database holds.

The store checks ``text[start:end] == span text`` on every write, but a
database written by another program, edited with the sqlite3 shell, or
damaged on disk may hold a span whose start is past its end, negative, 'abc',
or past the end of the text, a span whose label or article is gone, or an
article whose text is a BLOB. A dataset is what a model is trained on: such a
span must not reach it, nor vanish from it unsaid. So each record is checked
on its way to the writer (cheap: the record holds the text); what fails is
left out, named in a warning, and counted, and the export ends with exit
status 1 (docs/formats.md, "Damaged rows").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import SpanError
from .model import STATUSES, check_span
from .store.cells import cell_problem, shown
from .words import count

NAMED = 20
"""How many left-out spans or articles an export names; the rest are counted."""

# The cells of a span record and what each must hold: (declared type, NOT NULL), as in the table.
_SPAN_CELLS = (("uid", "TEXT", True), ("label", "TEXT", True), ("annotator", "TEXT", True),
               ("status", "TEXT", True), ("note", "TEXT", True), ("created_at", "TEXT", True),
               ("updated_at", "TEXT", True), ("reviewer", "TEXT", False), ("reviewed_at", "TEXT", False),
               ("review_note", "TEXT", False))
_ARTICLE_CELLS = (("uid", "TEXT", True), ("title", "TEXT", True), ("source", "TEXT", False),
                  ("sha256", "TEXT", True), ("text", "TEXT", True))


@dataclass
class LeftOut:
    """Spans and articles an export left out because the database holds them damaged."""

    spans: int = 0
    articles: int = 0
    named: list[str] = field(default_factory=list)
    said: int = 0   # things left out (an article with its spans is one)

    def add(self, what: str, *, spans: int = 1, articles: int = 0) -> None:
        self.spans += spans
        self.articles += articles
        self.said += 1
        if len(self.named) < NAMED:
            self.named.append(what)

    def __bool__(self) -> bool:
        return bool(self.spans or self.articles)

    def warnings(self) -> list[str]:
        """The warnings an export adds: each thing left out (the first ``NAMED``), then how many more."""
        found = list(self.named)
        more = self.said - len(self.named)
        if more > 0:
            found.append(f"{more:,} more left out likewise, not listed")
        return found

    def summary(self) -> str:
        parts = [count(self.spans, "span")] + ([count(self.articles, "article")] if self.articles else [])
        them = "it" if self.spans + self.articles == 1 else "them"
        return f"{' and '.join(parts)} left out: the database holds {them} damaged"


def span_problem(text: str, span: dict[str, Any]) -> str | None:
    """What is wrong with an export record's span against its article's ``text`` (None: nothing)."""
    if span.get("label") is None:
        return "its label is gone (deleted outside annotator)"
    for name, declared, not_null in _SPAN_CELLS:
        problem = cell_problem(span.get(name), declared, not_null)
        if problem is not None:
            return f"its {name} is {problem}"
    if span["status"] not in STATUSES:
        return f"its status is {shown(span['status'])}, not one of {', '.join(STATUSES)}"
    start, end, span_text = span.get("start"), span.get("end"), span.get("text")
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            return f"its {name} is {shown(value)}, not a whole number"
    if not isinstance(span_text, str):
        return f"its text is {shown(span_text)}, not text"
    try:
        check_span(text, start, end, span_text)
    except SpanError as exc:
        return str(exc)
    return None


def article_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with an export record's article itself (None: nothing)."""
    for name, declared, not_null in _ARTICLE_CELLS:
        problem = cell_problem(record.get(name), declared, not_null)
        if problem is not None:
            return f"its {name} is {problem}"
    return None


def claim_row_problem(row: dict[str, Any]) -> str | None:
    """What is wrong with a row of the claims dataset (a claim and one span) against its article's text."""
    text = row.get("article_text")
    if not isinstance(text, str):
        return f"its article's text is {shown(text)}, not text"
    span = {"uid": row.get("span_uid"), "label": row.get("label"), "annotator": row.get("annotator"),
            "status": row.get("status"), "note": "", "created_at": "", "updated_at": "", "reviewer": None,
            "reviewed_at": None, "review_note": None, "start": row.get("start"), "end": row.get("end"),
            "text": row.get("span_text")}
    return span_problem(text, span)


def sound(records: Iterable[dict[str, Any]], left_out: LeftOut) -> Iterator[dict[str, Any]]:
    """The article records with only their sound spans; what is not sound is noted in ``left_out``."""
    for record in records:
        spans = record["spans"]
        problem = article_problem(record)
        if problem is not None:
            left_out.add(f"article {_name(record.get('uid'))} (id {record['id']}) left out"
                         + (f" with its {count(len(spans), 'span')}" if spans else "") + f": {problem}",
                         spans=len(spans), articles=1)
            continue
        kept = []
        for span in spans:
            problem = span_problem(record["text"], span)
            if problem is None:
                kept.append(span)
            else:
                left_out.add(f"span {_name(span.get('uid'))} of article {record['id']} left out: {problem}")
        if len(kept) != len(spans):
            record = {**record, "spans": kept}
        yield record


def _name(uid: Any) -> str:
    return uid if isinstance(uid, str) else shown(uid)


__all__ = ["NAMED", "LeftOut", "article_problem", "claim_row_problem", "sound", "span_problem"]
