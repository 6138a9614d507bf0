"""Write datasets: the store's export records through a format's writer.

A file is written beside its target under a temporary name and renamed into
place only when complete, so a failed or cancelled export leaves no
half-written file (and an older file of that name stays as it was).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import formats
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
    if fmt.write is None:
        raise FormatError(f"the {fmt.name} format can be read but not written")
    flt = flt or ExportFilter()
    result = ExportResult()
    records = _counted(store.export_records(**_kwargs(flt)), result, progress)
    if isinstance(out, Path):
        with atomic_output(out) as fh:
            warnings = fmt.write(records, fh)
        result.path = out
    else:
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


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only if the block completes."""
    if path.is_dir():
        raise AnnotatorError(f"{path} is a folder; name a file to write")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AnnotatorError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        # mkstemp makes the file private; give it the mode a plain open() would.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
