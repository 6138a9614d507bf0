"""Write datasets: the store's export records through a format's writer.

Files are written atomically (see ``atomic``): a failed or cancelled export
leaves no half-written file. Formats made of several files (brat, Parquet)
write at a path themselves, with the same guarantee.
"""

from __future__ import annotations

import codecs
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from . import formats, words
from .atomic import atomic_output
from .errors import AnnotatorError, FormatError
from .export_check import LeftOut, sound
from .formats.base import Warnings
from .hints import OUT_FILE, STATUSES
from .model import valid_date, valid_url
from .store import SQLITE_MAGIC, Store, file_head


@dataclass(frozen=True)
class ExportFilter:
    labels: Sequence[str] = ()
    annotators: Sequence[str] = ()
    statuses: Sequence[str] = ()
    article_ids: Sequence[int] = ()
    all_articles: bool | None = None


@dataclass
class ExportResult:
    articles: int = 0
    spans: int = 0
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    claims: int = 0
    links: int = 0
    claim_uids: set[str] = field(default_factory=set, repr=False)
    spans_left_out: int = 0   # spans of the records read that the format could not write at all
    damaged: LeftOut = field(default_factory=LeftOut)
    """Spans and articles left out because the database holds them damaged (export_check.py): a command
    that exported with any of these ends with exit status 1."""

    @property
    def spans_written(self) -> int:
        return self.spans - self.spans_left_out


def written(result: ExportResult, format_name: str) -> str:
    """What an export wrote, in words ("3 articles, 5 spans", "2 claims (4 links)"): the CLI's and the window's."""
    if formats.get(format_name).write_claims is not None:
        return f"{words.count(result.claims, 'claim')}" + (
            f" ({words.count(result.links, 'link')})" if format_name == "claims" else "")
    spans = words.count(result.spans_written, "span") + (
        f" (of {result.spans}; see the warnings)" if result.spans_left_out else "")
    return f"{words.count(result.articles, 'article')}, {spans}" + (
        f", {words.count(result.claims, 'claim')}" if result.claims else "")


class ExportCancelled(AnnotatorError):
    pass


UNMARKED_STATUSES: tuple[str, ...] = ("pending", "accepted")
"""What a format that cannot mark a review status writes unless the statuses are named."""


def as_written(format_name: str | None, flt: ExportFilter) -> ExportFilter:
    """The filter an export in this format applies: no rejected span, in a format that cannot say it is one.

    A format without room for the review status (``Format.carries_status``)
    would write a rejected span as a good example (CoNLL's B-claim). Unless
    the statuses are named (``--status``, the export dialog's boxes), such an
    export leaves rejected spans out and says how many; articles are chosen
    as with no span filter.
    """
    if format_name is None or flt.statuses:
        return flt
    fmt = formats.get(format_name)
    if fmt.carries_status or fmt.write_claims is not None:
        return flt
    all_articles = flt.all_articles if flt.all_articles is not None else not (flt.labels or flt.annotators)
    return replace(flt, statuses=UNMARKED_STATUSES, all_articles=all_articles)


def count(store: Store, flt: ExportFilter, format_name: str | None = None) -> tuple[int, int]:
    """How many articles and spans an export with this filter (in this format) would write."""
    return store.export_counts(**_kwargs(as_written(format_name, flt)))


def claim_counts(store: Store, flt: ExportFilter) -> tuple[int, int, int]:
    """What the claims exports would cover: (claims with a matching linked span, their links, judged claims)."""
    return store.claim_export_counts(labels=flt.labels, annotators=flt.annotators, statuses=flt.statuses,
                                     article_ids=flt.article_ids)


def _kwargs(flt: ExportFilter) -> dict[str, Any]:
    return {
        "labels": flt.labels, "annotators": flt.annotators, "statuses": flt.statuses,
        "article_ids": flt.article_ids, "all_articles": flt.all_articles,
    }


def export(
    store: Store,
    format_name: str,
    out: Path | IO[bytes],
    flt: ExportFilter | None = None,
    progress: Callable[[int], bool] | None = None,
    *,
    bom: bool = False,
) -> ExportResult:
    """Write the filtered dataset to a path (atomically) or an open binary stream.

    ``progress`` is called with the number of articles written so far;
    returning False cancels (raising ExportCancelled, leaving no file).
    ``bom`` starts a CSV file with a UTF-8 byte order mark: Excel reads a file
    without one in the system's legacy code page ("TÃ¼rkiye").
    """
    fmt = formats.get(format_name)
    if not fmt.can_write:
        raise FormatError(f"the {fmt.name} format can be read but not written")
    refuse_open_files(store, fmt, out)
    if bom and fmt.name != "csv":
        raise FormatError("a byte order mark is written only at the start of a CSV file")
    flt = flt or ExportFilter()
    for article_id in flt.article_ids:
        store.article(article_id)  # "no article with id 999", not an empty dataset
    if fmt.write_claims is not None:
        return _export_claims(store, fmt, out, flt)
    if not isinstance(out, Path) and fmt.write is None:
        raise FormatError(f"the {fmt.name} format writes more than one file; {OUT_FILE.cli}")
    # Check the filter (unknown label, bad status) before the writer puts out a header.
    store.export_counts(**_kwargs(flt))
    result = ExportResult()
    written = as_written(fmt.name, flt)
    if written is not flt:
        _spans_before, rejected = store.export_counts(**_kwargs(replace(flt, statuses=("rejected",))))
        if rejected:
            result.warnings.append(
                f"{words.count(rejected, 'rejected span')} left out: the {fmt.name} format cannot mark a span as"
                f" rejected, so it would pass for a good example ({STATUSES.cli})")
        flt = written
    if not flt.article_ids:
        for uid, article_id in store.spans_of_gone_articles(labels=flt.labels, annotators=flt.annotators,
                                                            statuses=flt.statuses):
            result.damaged.add(f"span {uid} left out: its article (id {article_id}) is gone (deleted outside"
                               " annotator)")
    warnings = _write(fmt, _records(store, fmt, flt, result, progress), out, bom=bom)
    if isinstance(out, Path):
        result.path = out
    result.warnings.extend(warnings or [])
    result.warnings.extend(result.damaged.warnings())
    if isinstance(warnings, Warnings):
        result.spans_left_out = warnings.spans_left_out
    if result.links and not fmt.carries_claims:
        result.warnings.append(f"the {fmt.name} format cannot carry claims: {words.count(result.links, 'link')} of"
                               " the spans written to claims left out (the jsonl, claims and claimreview formats"
                               " keep them)")
    return result


def _records(store: Store, fmt: formats.Format, flt: ExportFilter, result: ExportResult,
             progress: Callable[[int], bool] | None) -> Iterable[dict[str, Any]]:
    """What the writer gets: the articles (counted), their spans' claim links, and for a format that carries
    claims, the guidelines first and the claims last."""
    links = store.links_by_span() if store.link_count() else {}
    records: Iterable[dict[str, Any]] = _counted(sound(store.export_records(**_kwargs(flt)), result.damaged),
                                                 result, progress)
    if links:
        records = _linked(records, links, result, attach=fmt.carries_claims)
    if fmt.carries_claims:
        from .label_set_file import guidelines_line

        first = guidelines_line(store)
        records = itertools.chain([first] if first else [], records, _claim_lines(store, flt, result))
    return records


def _write(fmt: formats.Format, records: Iterable[dict[str, Any]], out: Path | IO[bytes], *,
           bom: bool) -> list[str] | None:
    """The records through the format's writer: at a path atomically (several files, or one), or to a stream."""
    if isinstance(out, Path):
        if fmt.write_path is not None and (fmt.write is None or out.suffix.lower() != fmt.suffix):
            return fmt.write_path(records, out)
        assert fmt.write is not None
        with atomic_output(out) as fh:
            if bom:
                fh.write(codecs.BOM_UTF8)
            return fmt.write(records, fh)
    assert fmt.write is not None
    if bom:
        out.write(codecs.BOM_UTF8)
    warnings = fmt.write(records, out)
    out.flush()
    return warnings


def _export_claims(store: Store, fmt: formats.Format, out: Path | IO[bytes], flt: ExportFilter) -> ExportResult:
    assert fmt.write_claims is not None
    store.export_counts(**_kwargs(flt))
    if isinstance(out, Path):
        with atomic_output(out) as fh:
            written = fmt.write_claims(store, flt, fh)
    else:
        written = fmt.write_claims(store, flt, out)
        out.flush()
    return ExportResult(path=out if isinstance(out, Path) else None,
                        warnings=[*written.warnings, *written.damaged.warnings()],
                        claims=written.claims, links=written.rows, damaged=written.damaged)


def _linked(records: Iterable[dict[str, Any]], links: dict[str, list[Any]], result: ExportResult, *,
            attach: bool) -> Iterator[dict[str, Any]]:
    """Count the links of the spans written and, for a format that carries them, put them on their spans."""
    for record in records:
        for span in record["spans"]:
            found = links.get(span["uid"])
            if found:
                result.links += len(found)
                if attach:
                    span["links"] = [{"claim": k.claim_uid, "role": k.role, "created_by": k.created_by,
                                      "created_at": k.created_at} for k in found]
                    result.claim_uids.update(k.claim_uid for k in found)
        yield record


def _claim_lines(store: Store, flt: ExportFilter, result: ExportResult) -> Iterator[dict[str, Any]]:
    """After the articles: every claim a written span is linked to (with no span filter, every claim)."""
    values = {r.name: r.value for r in store.ratings()}
    everything = not (flt.labels or flt.annotators or flt.statuses or flt.article_ids)
    for claim in store.claims():
        if not everything and claim.uid not in result.claim_uids:
            continue
        result.claims += 1
        yield {"claim": {
            "uid": claim.uid, "summary": claim.summary, "claimant": claim.claimant,
            "claim_date": valid_date(claim.claim_date),
            "verdict": claim.verdict, "verdict_value": values.get(claim.verdict) if claim.verdict else None,
            "explanation": claim.explanation, "review_url": valid_url(claim.review_url),
            "reviewed_by": claim.reviewed_by,
            "reviewed_at": claim.reviewed_at, "created_by": claim.created_by, "created_at": claim.created_at,
            "updated_at": claim.updated_at,
        }}


# What SQLite keeps beside a database while it is open or being written.
_SIDE_FILES = ("-journal", "-wal", "-shm")


def refuse_open_files(store: Store, fmt: formats.Format, out: Path | IO[bytes]) -> None:
    """Raise AnnotatorError if the export would write over the database in use or a file beside it.

    Checked by real path (through symlinks and ``..``) and by file identity
    (a hard link, or stdout redirected into the database), before anything
    is written.
    """
    if store.path is None:
        return
    db = Path(os.path.realpath(store.path))
    open_files = {db: "the database in use", **{Path(f"{db}{side}"): f"the database's {side[1:]} file"
                                                 for side in _SIDE_FILES}}
    if not isinstance(out, Path):
        try:
            written = os.fstat(out.fileno())
        except (AttributeError, OSError, ValueError):  # not a real file (a pipe buffer, BytesIO)
            return
        for path, what in open_files.items():
            if _same_file(written, path):
                raise AnnotatorError(f"refusing to write the export into {what} ({store.path}); "
                                     "nothing was written")
        return
    targets = [out, *(fmt.companions(out) if fmt.companions is not None else [])]
    for target in targets:
        real = Path(os.path.realpath(target))
        for path, what in open_files.items():
            if real == path or _same_file(target, path):
                raise AnnotatorError(f"refusing to write {target}: it is {what} ({store.path}); nothing was written")
        if _is_database(target):
            # A slip of the tab key (--out colleague.db for colleague.jsonl) must not cost a database.
            raise AnnotatorError(f"refusing to write {target}: it is an SQLite database (a colleague's annotator"
                                 " database?); nothing was written. Name another file, or move it away first")
    if fmt.write_path is not None and (fmt.write is None or out.suffix.lower() != fmt.suffix):
        folder = Path(os.path.realpath(out))
        if folder in db.parents:
            raise AnnotatorError(f"refusing to write {out}: the database in use ({store.path}) is inside it; "
                                 "nothing was written")


def _is_database(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts as an SQLite database."""
    try:
        if not path.is_file():
            return False
        # Through the store's reader: a database this process holds open must not lose its locks.
        return file_head(path, len(SQLITE_MAGIC))[0] == SQLITE_MAGIC
    except OSError:
        return False


def _same_file(target: Path | os.stat_result, path: Path) -> bool:
    try:
        st = target if isinstance(target, os.stat_result) else target.stat()
        other = path.stat()
    except (OSError, ValueError):
        return False
    return (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino)


def _counted(records: Iterable[dict[str, Any]], result: ExportResult,
             progress: Callable[[int], bool] | None) -> Iterator[dict[str, Any]]:
    for record in records:
        result.articles += 1
        result.spans += len(record["spans"])
        if progress is not None and result.articles % 50 == 0 and progress(result.articles) is False:
            raise ExportCancelled("export cancelled; no file was written")
        yield record
