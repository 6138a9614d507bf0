"""The store: the one place that speaks SQL.

Every method that changes data is one transaction that also appends its event
to the hash-chained audit log, and is committed (``synchronous=FULL``) before
it returns. Nothing else in the project touches the connection.

The store is one object to its callers, built from one room per job, each in
its own module (docs/architecture.md):

- ``connection``: opening, refusing what is not ours, migrations (``schema``)
- ``transactions``: one atomic write per action; SQLite's errors in the user's words
- ``events``: the hash-chained audit log
- ``labels``, ``articles``, ``annotations``: the data, each with its rules
- ``claims``: claims, links, the rating scale, rejected suggestions, settings
- ``article_deletion``: deleting an article with all that hangs on it, and undoing that
- ``suggestions``: suggested spans (rules, a local model, imports), cue lists, trained models
- ``table``: the workspace's annotations table, paged in SQL
- ``article_list``: the article list's ids in any order, and rows for a page of them
- ``queue``: the review queue's steps, counts and places, in SQL
- ``export``: what an export reads, streamed
- ``provenance``: where merged events came from; ``renames``: uids a colleague uses for other things
- ``identity``: what makes a file an annotator database
- ``cells``: what a cell may hold, checked where rows become values; every wrong cell, for verify
"""

from __future__ import annotations

from ..review import REVIEW_FIELDS
from .annotations import SpanRow
from .article_list import ArticleList, ArticleOrder
from .cells import BadRowError, Cells
from .claims import SETTINGS, AcceptedSuggestion, ClaimMark
from .events import GENESIS_HASH, ChainReport, NewEvent, event_hash
from .export import Exports
from .file_handles import chunks as file_chunks
from .file_handles import read_head as file_head
from .provenance import MergeRecord, Provenance
from .queue import QueueRows, ReviewKey
from .renames import Renames
from .schema import SCHEMA_VERSION
from .sqlite_errors import SQLITE_MAGIC
from .suggestions import Suggestions
from .table import TablePages, TableView
from .transactions import Waiting


class Store(Suggestions, Exports, TablePages, ArticleList, QueueRows, Provenance, Renames, Cells):
    """An open annotator database."""


__all__ = [
    "GENESIS_HASH", "REVIEW_FIELDS", "SCHEMA_VERSION", "SETTINGS", "AcceptedSuggestion", "ArticleOrder", "BadRowError",
    "ChainReport", "ClaimMark", "MergeRecord", "NewEvent", "ReviewKey", "SpanRow", "Store", "TableView", "Waiting",
    "event_hash", "SQLITE_MAGIC", "file_chunks", "file_head",
]
