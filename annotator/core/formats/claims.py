"""The claims dataset: one JSON line per (claim, span), for training claim and stance models.

Each line pairs a claim (its summary, claimant and verdict) with one span
linked to it, the span's article, and the span's role, which is its stance
towards the claim (``states``, ``denies``, ``supports``, ``context``): the
shape of FEVER (claim, evidence, label) and FNC-1 (headline, body, stance).
The article text is repeated on each line so that a line stands on its own.

The export's span filters (label, annotator, status, article) choose the
spans; claims with no span left are not written (there is nothing to pair).
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

import orjson

from ..export_check import claim_row_problem
from ..words import count
from .base import ClaimsWritten, Format

if TYPE_CHECKING:
    from ..exporter import ExportFilter
    from ..store import Store

FIELDS = ("claim_uid", "claim", "claimant", "claim_date", "verdict", "verdict_value", "explanation",
          "article_id", "article_uid", "title", "source", "url", "published", "article_text",
          "span_uid", "start", "end", "span_text", "label", "role", "annotator", "status", "linked_by")
"""The keys of every line, in order (docs/formats.md)."""


def write_claims(store: Store, flt: ExportFilter, out: IO[bytes]) -> ClaimsWritten:
    written = ClaimsWritten()
    claims: set[str] = set()
    dumps, option = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    for row in store.claim_dataset_rows(labels=flt.labels, annotators=flt.annotators, statuses=flt.statuses,
                                        article_ids=flt.article_ids):
        problem = claim_row_problem(row)
        if problem is not None:
            written.damaged.add(f"span {row['span_uid']} (linked to claim {row['claim_uid']}) left out: {problem}")
            continue
        out.write(dumps(row, option=option))
        claims.add(row["claim_uid"])
        written.rows += 1
    written.claims = len(claims)
    unlinked = store.claim_count() - len(claims)
    if unlinked and not (flt.labels or flt.annotators or flt.statuses or flt.article_ids):
        written.warnings.append(f"{count(unlinked, 'claim')} with no span linked not written: a line pairs a claim"
                                " with a span")
    return written


FORMAT = Format(
    name="claims",
    description="claims dataset (JSON lines): one line per claim and linked span, with the verdict and the"
                " span's stance",
    extensions=(),
    write_claims=write_claims,
    suffix=".jsonl",
    carries_status=True,
)
