"""The claims x articles matrix as a table: who reports a claim, who denies it, at one glance.

Rows are claims, columns articles (oldest published first); a cell holds the
roles the article's spans take in the claim, joined by ``+`` ("states+denies":
an article that reports a claim and its denial), empty where the article says
nothing of it. The workspace's matrix view shows these cells; ``write_csv``
exports them (RFC 4180, UTF-8, formula-like cells neutralised as the CSV
export does).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import IO

from .formats.csv import safe_row
from .model import Article, valid_date
from .store import Store


def matrix_table(store: Store, claim_uids: Sequence[str],
                 articles: Sequence[Article] | None = None) -> list[list[str]]:
    """Header row (claim, summary, verdict, then one column per article), then a row per claim."""
    columns = list(articles) if articles is not None else store.matrix_articles(claim_uids)
    cells = store.claim_matrix(claim_uids, [a.id for a in columns])
    header = ["claim", "summary", "verdict"]
    header += [" | ".join(part for part in (a.title, a.source or "", (valid_date(a.published) or "")[:10]) if part)
               for a in columns]
    rows = [header]
    for claim in store.claims(list(claim_uids)):
        found = cells.get(claim.uid, {})
        rows.append([claim.uid, claim.summary, claim.verdict or "",
                     *("+".join(found.get(a.id, ())) for a in columns)])
    return rows


def write_csv(store: Store, claim_uids: Sequence[str], out: IO[bytes],
              articles: Sequence[Article] | None = None) -> int:
    """Write the matrix as CSV; returns how many claims."""
    rows = matrix_table(store, claim_uids, articles)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerows(safe_row(row) for row in rows)
        text.flush()
    finally:
        text.detach()
    return len(rows) - 1


__all__ = ["matrix_table", "write_csv"]
