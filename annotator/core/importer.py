"""Import files and folders into the store, reporting everything refused.

The whole import is one transaction: good records and spans land together,
and each rejected file, line or span is reported with its place and reason.
With ``strict`` a single rejection rolls everything back.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import formats, incoming
from .claims import ROLES, Claim, Link, check_summary
from .errors import AnnotatorError, LabelError, SpanError, WriteError
from .formats import brat
from .formats.base import (
    DEFAULT_MAX_BYTES,
    LISTED_PROBLEMS,
    ClaimIn,
    Format,
    GuidelinesIn,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    SpanIn,
    optional_str,
    spaced_name,
)
from .hints import CREATE_LABELS, MAX_SIZE, STRICT
from .incoming import checked
from .labels import EXTRA_COLOURS
from .model import (
    Annotation,
    Article,
    annotator_key,
    check_label_name,
    check_span,
    check_status,
    label_key,
    now_iso,
    uid_problem,
)
from .offsets import Utf16Map
from .store import Store
from .text import check_encoding, normalise, title_from
from .words import count, file_size

UNATTRIBUTED = "unknown"


# Spans written per executemany: large enough that per-call costs vanish, small
# enough that a million-span import holds a few megabytes, not all of it.
_WRITE_EVERY = 5000

Progress = Callable[[int, int, str], bool]
"""Called as (files done, files in all, current file); returning False cancels."""


@dataclass
class ImportReport:
    files: int = 0
    articles_added: int = 0
    articles_existing: int = 0
    spans_added: int = 0
    spans_existing: int = 0
    problems: list[Problem] = field(default_factory=list)
    labels_created: list[str] = field(default_factory=list)
    labels_changed: list[str] = field(default_factory=list)
    """Labels the file's guidelines line edited or deleted (into a database with no article yet)."""
    guidelines_taken: bool = False
    claims_added: int = 0
    claims_existing: int = 0
    links_added: int = 0
    suggestions_added: int = 0
    suggestions_existing: int = 0
    """Not made: suggested from this source kind before (in any state), or already tagged with that label."""
    as_suggestions: bool = False
    committed: bool = True
    cancelled: bool = False
    # Problems past the first LISTED_PROBLEMS of a file are counted, not kept.
    unlisted: int = 0
    unlisted_rejected: int = 0
    _listed_here: int = field(default=0, repr=False)
    _unlisted_here: tuple[int, int] = field(default=(0, 0), repr=False)

    def add(self, problem: Problem) -> None:
        """Note a problem of the file being read; past LISTED_PROBLEMS in one file, only count it."""
        if self._listed_here < LISTED_PROBLEMS:
            self._listed_here += 1
            self.problems.append(problem)
            return
        n, rejected = self._unlisted_here
        self._unlisted_here = (n + 1, rejected + problem.rejected)

    def end_file(self, path: Path, noun: str = "file") -> None:
        """Say how many problems of ``path`` went unlisted, and start counting afresh."""
        n, rejected = self._unlisted_here
        if n:
            if rejected == n:
                what = f"{n:,} more {'rejection' if n == 1 else 'rejections'}"
            elif not rejected:
                what = f"{n:,} more {'remark' if n == 1 else 'remarks'}"
            else:
                what = f"{n:,} more problems ({rejected:,} rejected, {count(n - rejected, 'remark')})"
            self.problems.append(Problem(str(path), f"{what} in this {noun}, not listed", rejected=rejected > 0))
            self.unlisted += n
            self.unlisted_rejected += rejected
        self._listed_here, self._unlisted_here = 0, (0, 0)

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.rejected]

    @property
    def remarks(self) -> list[Problem]:
        return [p for p in self.problems if not p.rejected]

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.cancelled

    def summary(self) -> str:
        if self.cancelled:
            return "import cancelled; nothing was imported"
        rejected = len(self.rejected) + self.unlisted_rejected - (self.unlisted_rejected > 0)
        if not self.committed:
            return f"nothing was imported {STRICT.cli}: {rejected} {_plural(rejected, 'problem')}"
        parts = [
            f"{self.articles_added} {_plural(self.articles_added, 'article')} added",
            f"{self.suggestions_added} {_plural(self.suggestions_added, 'suggestion')} added" if self.as_suggestions
            else f"{self.spans_added} {_plural(self.spans_added, 'span')} added",
        ]
        if self.suggestions_existing:
            parts.append(f"{self.suggestions_existing} {_plural(self.suggestions_existing, 'suggestion')} suggested"
                         " before or tagged already")
        if self.as_suggestions and self.articles_existing:
            parts.append(f"{self.articles_existing} {_plural(self.articles_existing, 'article')} already present")
        elif self.articles_existing or self.spans_existing:
            parts.append(f"{self.articles_existing} {_plural(self.articles_existing, 'article')} and "
                         f"{self.spans_existing} {_plural(self.spans_existing, 'span')} already present")
        if self.claims_added or self.links_added:
            parts.append(f"{self.claims_added} {_plural(self.claims_added, 'claim')} and {self.links_added}"
                         f" {_plural(self.links_added, 'link')} added")
        if self.claims_existing:
            parts.append(f"{self.claims_existing} {_plural(self.claims_existing, 'claim')} already present")
        if self.labels_created:
            parts.append(f"new labels: {', '.join(self.labels_created)}")
        if self.labels_changed:
            parts.append(f"labels changed as the file has them: {', '.join(self.labels_changed)}")
        if self.guidelines_taken:
            parts.append("the file's guidelines taken")
        if rejected:
            parts.append(f"{rejected} rejected")
        return f"{self.files} {_plural(self.files, 'file')} read: " + ", ".join(parts)


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


class _Rollback(Exception):
    pass


@dataclass
class Importer:
    store: Store
    actor: str
    create_labels: bool = False
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    format: str | None = None
    # Read every text file in this encoding (a codec name: cp1252, latin-1, shift_jis...) rather than
    # by its byte order mark, as UTF-8 or by a guess: for the file whose guess was wrong.
    encoding: str | None = None
    # Who the spans that name no annotator are credited to. Not the person
    # importing: they did not tag them (the import event records them).
    default_annotator: str = UNATTRIBUTED
    # Claims and links read so far; written once every article and span is in.
    _claims: list[ClaimIn] = field(default_factory=list, init=False, repr=False)
    _links: list[tuple[str, list[Any], str]] = field(default_factory=list, init=False, repr=False)
    # Spans built but not yet written, across records: one executemany (rows, and
    # events hashed in one pass) per few thousand spans instead of one per article.
    _pending: list[Annotation] = field(default_factory=list, init=False, repr=False)
    _pending_uids: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _now: str = field(default="", init=False, repr=False)
    # Annotator names met so far, by ``annotator_key``, as this database spells them.
    _people: dict[str, str] | None = field(default=None, init=False, repr=False)
    _respelled: set[str] = field(default_factory=set, init=False, repr=False)
    # Labels read with "_" for a space ("half_true" as "half true"), said where first met.
    _spaced: set[str] = field(default_factory=set, init=False, repr=False)

    def run(self, paths: Iterable[str | Path], progress: Progress | None = None) -> ImportReport:
        report = self._report()
        if self.encoding is not None:
            check_encoding(self.encoding)  # a name that is no encoding fails the import, not each file
        files = self._collect([Path(p) for p in paths], report)
        options = ReadOptions(max_bytes=self.max_bytes, predictions=report.as_suggestions, encoding=self.encoding)
        # One time for every span the import creates: they arrive together.
        self._now = now_iso()
        try:
            with self.store.transaction():
                for i, (path, fmt, root) in enumerate(files):
                    if progress is not None and progress(i, len(files), str(path)) is False:
                        report.cancelled = True
                        raise _Rollback
                    self._import_file(path, fmt, replace(options, root=root), report)
                    self._write_pending(report)
                    report.files += 1
                if progress is not None:
                    progress(len(files), len(files), "")
                self._import_claims(report)
                if self.strict and report.rejected:
                    raise _Rollback
        except WriteError as exc:
            # Not a rejected record: the disk or the database failed the import (SQLite may
            # already have rolled all of it back), so it ends here, whole, and says why.
            self._pending.clear()
            self._pending_uids.clear()
            raise type(exc)(f"{exc.reason}; nothing was imported", exc.reason) from exc
        except _Rollback:
            self._pending.clear()
            self._pending_uids.clear()
            report.committed = False
            report.articles_added = report.spans_added = report.claims_added = report.links_added = 0
            report.suggestions_added = 0
            report.labels_created, report.labels_changed, report.guidelines_taken = [], [], False
        return report

    def _report(self) -> ImportReport:
        return ImportReport()

    # ------------------------------------------------------------------ files

    def _collect(self, paths: Sequence[Path], report: ImportReport) -> list[tuple[Path, Format, Path | None]]:
        """The files to read, each with its format and the folder it must stay in (None when named itself)."""
        forced = formats.get(self.format) if self.format else None
        found: list[tuple[Path, Format, Path | None]] = []
        for path in paths:
            if path.is_dir():
                root = path.resolve()
                for child in _folder_files(path, root, report):
                    fmt = forced or formats.for_path(child)
                    if fmt is None and child.name in brat.CONFIG_FILES:
                        continue   # a brat collection's settings (ours writes annotation.conf)
                    if fmt is None:
                        report.add(
                            Problem(str(child), "skipped: not a supported file type", rejected=False))
                    else:
                        found.append((child, fmt, root))
            elif path.is_file():
                fmt = forced or formats.for_path(path)
                if fmt is None:
                    supported = sorted({ext for f in formats.import_formats() for ext in f.extensions})
                    report.add(Problem(
                        str(path), f"unsupported file type {path.suffix or '(no extension)'!r} "
                                   f"(supported: {', '.join(supported)})"))
                else:
                    found.append((path, fmt, None))
            elif path.is_symlink() and not path.exists():
                report.add(_link_problem(path) or Problem(str(path), "not a regular file"))
            elif path.exists():
                report.add(Problem(str(path), "not a regular file"))
            else:
                report.add(Problem(str(path), "no such file or folder"))
            report.end_file(path, "folder" if path.is_dir() else "file")
        return _without_companions(found)

    def _import_file(self, path: Path, fmt: Format, options: ReadOptions, report: ImportReport) -> None:
        in_use = self._database_file(path)
        if in_use:
            # Not read at all: reading it would open and close the file this import holds the write
            # lock of, and closing a descriptor drops the process's locks (store/file_handles.py).
            report.add(Problem(str(path), f"it is {in_use} ({self.store.path}): not imported"))
            report.end_file(path)
            return
        try:
            for item in _read_safely(fmt, path, options):
                if isinstance(item, Problem):
                    report.add(item)
                elif isinstance(item, ClaimIn):
                    self._claims.append(item)
                elif isinstance(item, GuidelinesIn):
                    self._take_guidelines(item, report)
                else:
                    self._import_record(item, report)
        except WriteError:
            raise  # the database's failure, not this file's: it ends the import
        except AnnotatorError as exc:
            report.add(Problem(str(path), str(exc)))
        finally:
            report.end_file(path)

    def _database_file(self, path: Path) -> str:
        """What of the database in use ``path`` is ("the database in use", its journal...), or ""."""
        if self.store.path is None:
            return ""
        sides = {"": "the database in use", "-journal": "the database's journal", "-wal": "the database's wal"}
        for side, what in sides.items():
            with contextlib.suppress(OSError):
                if os.path.samefile(path, f"{self.store.path}{side}"):
                    return what
        return ""

    def _take_guidelines(self, item: GuidelinesIn, report: ImportReport) -> None:
        from .label_set_file import take_guidelines

        taken = take_guidelines(self.store, item.values, item.place, replace_all=self.store.article_count() == 0,
                                actor=self.actor)
        report.labels_created += taken.created
        report.labels_changed += taken.changed + taken.deleted
        report.guidelines_taken = report.guidelines_taken or taken.guidelines
        report.problems += taken.problems

    # ---------------------------------------------------------------- records

    def _import_record(self, record: RecordIn, report: ImportReport) -> None:
        norm = normalise(record.text)
        text = norm.text
        if not text.strip():
            report.add(Problem(record.place, "empty or whitespace-only text"))
            return
        size = len(text.encode("utf-8"))
        if size > self.max_bytes:
            report.add(Problem(
                record.place, f"text too large ({file_size(size)}; the limit is "
                              f"{file_size(self.max_bytes)}, {MAX_SIZE.cli})"))
            return
        if record.spans_dropped:
            report.add(Problem(record.place, f"{count(record.spans_dropped, 'span')} past the {record.span_limit:,} an "
                                             f"article may carry at this size limit; not imported ({MAX_SIZE.cli})"))
        uid = self._safe_uid(record.uid, record.place, "article", report)
        spans: list[tuple[int, int, SpanIn]] = []
        utf16: Utf16Map | None = None
        repaired = 0
        for span in record.spans:
            span.uid = self._safe_uid(span.uid, span.place, "span", report)
            try:
                if record.utf16_fallback and utf16 is None:
                    utf16 = Utf16Map(record.text)
                start, end = self._check_span(record.text, span, utf16)
                self._check_label(span, report)
            except SpanError as exc:
                report.add(Problem(span.place, str(exc)))
                continue
            repaired += (start, end) != (span.start, span.end)
            start, end = norm.offset(start), norm.offset(end)
            if start >= end:
                report.add(
                    Problem(span.place, "the span holds only a carriage return, which import removes"))
                continue
            spans.append((start, end, span))
        if repaired:
            report.add(Problem(
                record.place, f"{repaired} {_plural(repaired, 'span')} carried UTF-16 offsets (as older "
                              "JavaScript tools write them); converted to code points", rejected=False))

        details = checked({"url": record.url, "published": record.published}, incoming.ARTICLE,
                          {name: (None, "dropped: the article is imported without it") for name in incoming.ARTICLE})
        for why in details.dropped:
            report.add(Problem(record.place, why, rejected=False))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        article, added = self.store.add_article(
            text, title=record.title or title_from(text) or "(untitled)", actor=self.actor,
            source=record.source, url=details.values["url"], published=details.values["published"],
            origin=record.origin, uid=uid, sha256=digest,
        )
        if added:
            report.articles_added += 1
        else:
            report.articles_existing += 1
            self._say_differences(article, record, details.values, report)
        self._import_spans(article.id, spans, added, report)

    @staticmethod
    def _say_differences(article: Article, record: RecordIn, details: dict[str, Any], report: ImportReport) -> None:
        """A remark naming each detail the file gives otherwise for an article this database holds already.

        The article here keeps its own: its details may have been edited since
        (and an import never edits), but the user should know the file differs.
        """
        given = {"title": record.title, "source": record.source, **details}
        differing = [f"{name} {value!r} (here {getattr(article, name)!r})" for name, value in given.items()
                     if value is not None and value != getattr(article, name)]
        if differing:
            report.add(Problem(record.place, f"this text is here already (article {article.id}); the file gives its "
                                             + ", ".join(differing) + ": the details here are kept", rejected=False))

    @staticmethod
    def _safe_uid(uid: str | None, place: str, what: str, report: ImportReport) -> str | None:
        """The uid, or None (a fresh one is given) when it is not a valid uid.

        Mapped rather than rejected: the uid only names the record, and losing
        an article and its spans over its name would be worse than renaming
        it. The remark says where, so the source can be fixed. Exporters never
        take a path from a uid anyway; this keeps the database free of them.
        """
        if uid is None:
            return None
        problem = uid_problem(uid)
        if problem is None:
            return uid
        shown = uid if len(uid) <= 60 else uid[:59] + "…"
        report.add(Problem(place, f"the {what} uid {shown!r} is not a valid uid ({problem}); "
                                              f"the {what} was given a new one", rejected=False))
        return None

    def _check_span(self, raw: str, span: SpanIn, utf16: Utf16Map | None) -> tuple[int, int]:
        start, end = _offset(span.start, "start", raw), _offset(span.end, "end", raw)
        if start is None or end is None:
            raise SpanError(f"offsets must be whole numbers, got start={span.start!r} end={span.end!r}")
        if span.text is not None and not isinstance(span.text, str):
            raise SpanError("the span's 'text' is not a string")
        try:
            check_span(raw, start, end, span.text)
            return start, end
        except SpanError as first:
            if utf16 is None or span.text is None:
                raise
            # Older JavaScript tools count UTF-16 units: read the offsets that way
            # and keep the reading whose text matches.
            try:
                s, e = utf16.to_codepoint(start), utf16.to_codepoint(end)
                check_span(raw, s, e, span.text)
            except (ValueError, SpanError):
                raise SpanError(f"{first} (nor as UTF-16 offsets)") from None
            return s, e

    def _check_label(self, span: SpanIn, report: ImportReport) -> None:
        if not isinstance(span.label, str) or not span.label.strip():
            raise SpanError(f"the label must be a non-empty string, got {span.label!r}")
        check_status(span.status)
        if self.store.has_label(span.label.strip()):
            return  # a label this database has, even one from before a rule on names (their length)
        try:
            name = check_label_name(span.label)
        except LabelError as exc:
            raise SpanError(str(exc)) from None
        spaced = spaced_name(name, (label.name for label in self.store.labels()))
        if spaced is not None:
            # brat types and BIO tags cannot hold a space: the export wrote it as "_" (and warned).
            if name not in self._spaced:
                self._spaced.add(name)
                report.add(Problem(span.place, f"label {name!r} read as {spaced!r} (a format without spaces in its"
                                               " labels writes it so)", rejected=False))
            span.label = spaced
            return
        if not self.create_labels:
            known = ", ".join(label.name for label in self.store.labels())
            raise SpanError(f"unknown label {name!r} (labels: {known}; {CREATE_LABELS.cli})")
        existing = self.store.labels()
        used_keys = {label.shortcut for label in existing}
        key = next((k for k in "456789" if k not in used_keys), "")
        colour = EXTRA_COLOURS[len(report.labels_created) % len(EXTRA_COLOURS)]
        try:
            label = self.store.add_label(name, colour, key, "created on import", actor=self.actor)
        except LabelError as exc:   # a name the label set refuses (one that looks like another label's)
            raise SpanError(str(exc)) from None
        report.labels_created.append(label.name)

    def _import_spans(self, article_id: int, spans: list[tuple[int, int, SpanIn]], article_added: bool,
                      report: ImportReport) -> None:
        seen: dict[tuple[int, int, str, str], str] = {}   # (offsets, label, annotator) -> the span's uid
        if not article_added:
            # The same text again: what it holds already, including what this import has not written yet.
            self._write_pending(report)
            seen = {(a.start, a.end, label_key(a.label), a.annotator): a.uid
                    for a in self.store.annotations_for(article_id)}
        batch_uids: set[str] = set()
        for start, end, span in spans:
            values = self._span_values(span, report)
            annotator = values["annotator"] or self._spelling(self.default_annotator, span.place, report)
            key = (start, end, label_key(span.label), annotator)
            if span.uid and (span.uid in self._pending_uids or self.store.has_annotation(span.uid)):
                owner = self._pending_uids.get(span.uid)
                if owner is None:
                    owner = self.store.annotation(span.uid).article_id
                if span.uid not in batch_uids and owner == article_id:
                    report.spans_existing += 1
                    if span.links:
                        self._links.append((span.uid, span.links, span.place))
                else:
                    report.add(Problem(span.place, f"uid {span.uid} is already used by another span"))
                continue
            if key in seen:
                # The same span (merge matches spans so too): one, whatever uid the file gave the second.
                report.spans_existing += 1
                if span.uid:
                    report.add(Problem(span.place, f"the same span (offsets, label, annotator) as {seen[key]}:"
                                                   " imported once", rejected=False))
                if span.links:
                    self._links.append((seen[key], span.links, span.place))
                continue
            try:
                annotation = self.store.build_annotation(
                    article_id, start, end, span.label, annotator=annotator, note=str(span.note or ""),
                    uid=span.uid, status=span.status, created_at=values["created_at"] or self._now,
                    updated_at=values["updated_at"], reviewer=values["reviewer"],
                    reviewed_at=values["reviewed_at"], review_note=values["review_note"] or "",
                )
            except WriteError:
                raise  # the database failed, not this span
            except AnnotatorError as exc:
                report.add(Problem(span.place, str(exc)))
                continue
            seen[key] = annotation.uid
            self._pending.append(annotation)
            self._pending_uids[annotation.uid] = article_id
            if span.uid:
                batch_uids.add(span.uid)
            if span.links:
                self._links.append((annotation.uid, span.links, span.place))
        if len(self._pending) >= _WRITE_EVERY:
            self._write_pending(report)

    def _span_values(self, span: SpanIn, report: ImportReport) -> dict[str, Any]:
        """The span's annotator, times and review, kept to the rules a span made here keeps (incoming.SPAN).

        A name that passes for no one (a control character, mixed scripts) is
        credited as a span naming no one is; a bad time becomes the import's.
        """
        values = checked({name: getattr(span, name) for name in incoming.SPAN}, incoming.SPAN, {
            "annotator": (None, f"dropped: the span is credited to {self.default_annotator!r}"),
            "created_at": (None, "dropped: the time of the import is used"),
            "updated_at": (None, "dropped: its creation time is used"),
            "reviewer": (None, "dropped: the verdict names no reviewer"),
            "reviewed_at": (None, "dropped: the verdict has no time"),
            "review_note": ("", "dropped"),
        })
        for why in values.dropped:
            report.add(Problem(span.place, why, rejected=False))
        for name in ("annotator", "reviewer"):
            if values.values[name]:
                values.values[name] = self._spelling(values.values[name], span.place, report)
        return values.values

    def _spelling(self, name: str, place: str, report: ImportReport) -> str:
        """``name`` as this database (or this import, earlier) spells that person: "Ana" is "ana" if "ana" is here.

        Said once per spelling, where it was first met.
        """
        if self._people is None:
            self._people = {annotator_key(n): n for n in self.store.annotators()}
        key = annotator_key(name)
        known = self._people.setdefault(key, " ".join(name.split()))
        if known != name and name not in self._respelled:
            self._respelled.add(name)
            report.add(Problem(place, f"the annotator {name!r} is {known!r} here (a name is one person however it"
                                      f" is cased); credited to {known!r}", rejected=False))
        return known

    def _write_pending(self, report: ImportReport) -> None:
        if self._pending:
            report.spans_added += self.store.add_annotations(self._pending, actor=self.actor)
        self._pending.clear()
        self._pending_uids.clear()

    # ----------------------------------------------------------------- claims

    def _import_claims(self, report: ImportReport) -> None:
        """The claims read, then the links of the spans imported (or already here) to them."""
        claims: list[Claim] = []
        seen: set[str] = set()
        for item in self._claims:
            try:
                claim = self._claim(item.values, report, item.place)
            except WriteError:
                raise
            except AnnotatorError as exc:
                report.problems.append(Problem(item.place, str(exc)))
                continue
            if claim.uid in seen or self.store.has_claim(claim.uid):
                report.claims_existing += 1
                continue
            seen.add(claim.uid)
            claims.append(claim)
        links: list[Link] = []
        pairs: set[tuple[str, str]] = set()
        at = now_iso()
        for span_uid, items, place in self._links:
            for i, item in enumerate(items):
                where = f"{place} link[{i}]"
                try:
                    claim_uid = optional_str(item.get("claim"), "claim") if isinstance(item, dict) else None
                except AnnotatorError as exc:  # a field of the wrong type
                    report.problems.append(Problem(where, str(exc)))
                    continue
                made = checked({name: item.get(name) for name in incoming.LINK} if claim_uid else {}, incoming.LINK, {
                    "created_by": (None, f"dropped: the link is credited to {self.actor!r}"),
                    "created_at": (None, "dropped: the time of the import is used")})
                report.problems += [Problem(where, why, rejected=False) for why in made.dropped]
                created = (made.values.get("created_by"), made.values.get("created_at"))
                role = item.get("role") if isinstance(item, dict) else None
                if claim_uid is None:
                    report.problems.append(Problem(where, "a link needs the uid of its claim ('claim')"))
                elif role not in ROLES:
                    report.problems.append(Problem(where, f"unknown role {role!r} (roles: {', '.join(ROLES)})"))
                elif claim_uid not in seen and not self.store.has_claim(claim_uid):
                    report.problems.append(Problem(where, f"no claim {claim_uid} in the file or the database"))
                elif (span_uid, claim_uid) in pairs or any(k.claim_uid == claim_uid
                                                           for k in self.store.links_of_span(span_uid)):
                    continue
                else:
                    pairs.add((span_uid, claim_uid))
                    links.append(Link(span_uid, claim_uid, role, created[0] or self.actor, created[1] or at))
        if claims or links:
            self.store.add_claims_and_links(claims, links, actor=self.actor)
        report.claims_added += len(claims)
        report.links_added += len(links)
        self._claims, self._links = [], []

    def _claim(self, values: dict[str, Any], report: ImportReport, place: str) -> Claim:
        """A claim line as the app would have made it: a bad field is dropped (and said), the claim kept.

        Only a claim with no uid or no summary is refused: it has nothing to be.
        """
        uid, summary = optional_str(values.get("uid"), "uid"), optional_str(values.get("summary"), "summary")
        if uid is None or summary is None:
            raise AnnotatorError("a claim needs a 'uid' and a 'summary'")
        problem = uid_problem(uid)
        if problem is not None:
            raise AnnotatorError(f"the claim uid {uid[:60]!r} is not a valid uid ({problem})")
        fields = checked({name: values.get(name) for name in incoming.CLAIM}, incoming.CLAIM, {
            "claimant": ("", "dropped"), "explanation": ("", "dropped"),
            "reviewed_by": (None, "dropped: the verdict names no one"),
            "reviewed_at": (None, "dropped: the verdict has no time"),
            "created_by": (None, f"dropped: the claim is credited to {self.actor!r}"),
            "created_at": (None, "dropped: the time of the import is used"),
            "updated_at": (None, "dropped: its creation time is used"),
        })
        said = [Problem(place, why, rejected=False) for why in fields.dropped]
        verdict = self._verdict(values, place, said)
        report.problems += said
        got = fields.values
        created_at = got["created_at"] or now_iso()
        return Claim(
            uid=uid, summary=check_summary(summary), claimant=got["claimant"] or "", claim_date=got["claim_date"],
            verdict=verdict, explanation=got["explanation"] or "", review_url=got["review_url"],
            reviewed_by=got["reviewed_by"] if verdict else None, reviewed_at=got["reviewed_at"] if verdict else None,
            created_by=got["created_by"] or self.actor, created_at=created_at,
            updated_at=got["updated_at"] or created_at,
        )

    def _verdict(self, values: dict[str, Any], place: str, said: list[Problem]) -> str | None:
        """The claim line's verdict as a rating of this scale (added when the line gives its value), else None."""
        try:
            verdict = optional_str(values.get("verdict"), "verdict")
        except AnnotatorError as exc:
            said.append(Problem(place, f"{exc}; the verdict was dropped", rejected=False))
            return None
        if verdict is None:
            return None
        verdict = " ".join(verdict.split())
        if self.store.has_rating(verdict):
            return self.store.rating(verdict).name
        value = values.get("verdict_value")
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            said.append(Problem(place, f"unknown rating {verdict!r}, and no 'verdict_value' to add it to the scale"
                                       " with; the verdict was dropped (the claim has none)", rejected=False))
            return None
        self.store.add_rating(verdict, value, "created on import", actor=self.actor)
        said.append(Problem(place, f"rating {verdict!r} added to the scale (value {value})", rejected=False))
        return self.store.rating(verdict).name


def _read_safely(fmt: Format, path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    """The reader's records and problems; whatever stops it becomes the file's last problem, never an exception.

    The readers check the shapes they read and say what is wrong; should one
    still fail, that file is reported as unreadable (naming the bug) and the
    other files of the import go on.
    """
    assert fmt.read is not None
    place = str(path)
    try:
        yield from fmt.read(path, options)
    except AnnotatorError as exc:
        yield Problem(place, str(exc))
    except PermissionError:
        yield Problem(place, "permission denied")
    except OSError as exc:
        yield Problem(place, f"cannot read it ({exc.strerror or exc})")
    except MemoryError:
        yield Problem(place, f"too large to hold in memory; the rest of it was not read ({MAX_SIZE.cli})")
    except Exception as exc:
        detail = str(exc) if len(str(exc)) <= 200 else str(exc)[:199] + "…"
        yield Problem(place, f"cannot be read ({type(exc).__name__}: {detail}); this is a bug in the "
                             f"{fmt.name} reader, please report it")


def _folder_files(folder: Path, root: Path, report: ImportReport) -> list[Path]:
    """The regular files under ``folder``, hidden ones aside, never reaching out of ``root`` through a link.

    A link is followed only to a file inside the folder; a link leading out
    of it (to ``/etc/passwd``, ``/proc/self/...``), a dangling link, a loop of
    links, a link to a folder (whose files, when inside, are read from their
    own place) and anything that is not a regular file (a FIFO would block
    the import for ever) are reported with their place, never read.
    """
    files: list[Path] = []
    for here, dirs, names in os.walk(folder, followlinks=False,
                                     onerror=lambda exc: report.add(
                                         Problem(str(exc.filename), f"cannot read this folder ({exc.strerror})"))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *names]:
            if name.startswith("."):
                continue
            path = Path(here) / name
            if path.is_symlink():
                problem = _link_problem(path, root)
                if problem is None:
                    files.append(path)
                else:
                    report.add(problem)
            elif name in names and not path.is_file():
                report.add(Problem(str(path), "not a regular file (a FIFO, socket or device); not read"))
            elif name in names:
                files.append(path)
    return sorted(files)


def _link_problem(path: Path, root: Path | None = None) -> Problem | None:
    """Why the link at ``path`` is not followed, or None for a link to a regular file inside ``root``."""
    place = str(path)
    try:
        target = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return Problem(place, f"a dangling link (to {os.readlink(path)}, which does not exist); not read")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(place, "a loop of links; not followed")
        return Problem(place, f"a link that cannot be followed ({exc.strerror or exc}); not read")
    if root is not None and target != root and root not in target.parents:
        return Problem(place, f"a link to {target}, outside the folder being imported; not followed")
    if target.is_dir():
        # Nothing is lost: inside the folder, that folder's files are read where they are.
        return Problem(place, f"a link to the folder {target}, inside the folder being imported; not followed "
                              "(its files are read from their own place)", rejected=False)
    if not target.is_file():
        return Problem(place, f"a link to {target}, which is not a regular file; not read")
    return None


def _without_companions(found: list[tuple[Path, Format, Path | None]]) -> list[tuple[Path, Format, Path | None]]:
    """Drop files that another file's reader reads with it (brat's .txt beside its .ann)."""
    claimed: set[Path] = set()
    for path, fmt, _root in found:
        if fmt.companions is not None:
            claimed.update(p.resolve() for p in fmt.companions(path))
    if not claimed:
        return found
    return [(path, fmt, root) for path, fmt, root in found if path.resolve() not in claimed]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _offset(value: object, name: str, text: str) -> int | None:
    """An offset as a whole number, None for anything else (SpanError for a whole number no text reaches).

    A whole number written as a float (``5.0``) is that number. JSON parsers
    read an integer past 64 bits as a float: such a number is no fraction but
    far outside the text, and is said so in the file's own terms (``1e+30``).
    """
    if _is_int(value):
        return value  # type: ignore[return-value]
    if isinstance(value, float) and value.is_integer():
        if abs(value) < 2 ** 53:
            return int(value)
        where = "past the end of the text" if value > 0 else "before the start of the text"
        raise SpanError(f"{name} {value:g} is far {where} ({count(len(text), 'character')})")
    return None
