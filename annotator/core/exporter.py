"""Write datasets: the store's export records through a format's writer.

Files are written atomically (see ``atomic``): a failed or cancelled export
leaves no half-written file. Formats made of several files (brat, Parquet)
write at a path themselves, with the same guarantee.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import formats
from .atomic import atomic_output
from .errors import AnnotatorError, FormatError
from .store import Store


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


class ExportCancelled(AnnotatorError):
    pass


def count(store: Store, flt: ExportFilter) -> tuple[int, int]:
    """How many articles and spans an export with this filter would write."""
    return store.export_counts(**_kwargs(flt))


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
) -> ExportResult:
    """Write the filtered dataset to a path (atomically) or an open binary stream.

    ``progress`` is called with the number of articles written so far;
    returning False cancels (raising ExportCancelled, leaving no file).
    """
    fmt = formats.get(format_name)
    if not fmt.can_write:
        raise FormatError(f"the {fmt.name} format can be read but not written")
    if not isinstance(out, Path) and fmt.write is None:
        raise FormatError(f"the {fmt.name} format writes more than one file; give --out a file name")
    flt = flt or ExportFilter()
    # Check the filter (unknown label, bad status) before the writer puts out a header.
    store.export_counts(**_kwargs(flt))
    result = ExportResult()
    records = _counted(store.export_records(**_kwargs(flt)), result, progress)
    if isinstance(out, Path):
        if fmt.write_path is not None and (fmt.write is None or out.suffix.lower() != fmt.suffix):
            warnings = fmt.write_path(records, out)
        else:
            assert fmt.write is not None
            with atomic_output(out) as fh:
                warnings = fmt.write(records, fh)
        result.path = out
    else:
        assert fmt.write is not None
        warnings = fmt.write(records, out)
        out.flush()
    result.warnings.extend(warnings or [])
    return result


def _counted(records: Iterable[dict[str, Any]], result: ExportResult,
             progress: Callable[[int], bool] | None) -> Iterator[dict[str, Any]]:
    for record in records:
        result.articles += 1
        result.spans += len(record["spans"])
        if progress is not None and result.articles % 50 == 0 and progress(result.articles) is False:
            raise ExportCancelled("export cancelled; no file was written")
        yield record
