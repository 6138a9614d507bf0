"""Commands for datasets: import, list, export, where."""

from __future__ import annotations

import math
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import orjson

from ..core import exporter, formats
from ..core.errors import ImportFileError
from ..core.exporter import ExportFilter
from ..core.importer import Importer
from ..core.model import STATUSES
from ..core.paths import default_database
from ..core.terminal import PrintableStream
from ..core.text import check_encoding
from . import PROG, Options, acting, cut, db_option, pad, say, spelled

# What --max-size may be, in megabytes: a kilobyte at least (a limit of a few bytes refuses
# everything), 4 GB at most (a bound the readers' arithmetic and the memory of a laptop both hold).
MAX_SIZE_MB = (0.001, 4096)


def _finite(_ctx: click.Context, _param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # click's range lets NaN through: it compares false with both ends
        raise click.BadParameter(f"{value} is not a number of megabytes (say 20, or 0.5)")
    return value


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        check_encoding(value)
    except ImportFileError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@click.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="All or nothing: import nothing if anything is rejected.")
@click.option("--create-labels", is_flag=True, help="Create labels the files use but the database lacks.")
@click.option("--max-size", type=click.FloatRange(min=MAX_SIZE_MB[0], max=MAX_SIZE_MB[1]), default=20,
              show_default=True, callback=_finite, metavar="MB",
              help="The most read from one file once decompressed (a zip, a DocBin, a Parquet pair in all), and the"
                   f" largest article, in megabytes ({MAX_SIZE_MB[0]} to {MAX_SIZE_MB[1]:,}).")
@click.option("--format", "format_name", type=click.Choice([f.name for f in formats.import_formats()]),
              help="Read every file as this format instead of going by its extension.")
@click.option("--encoding", default=None, metavar="NAME", callback=_encoding,
              help="Read every text file in this encoding (cp1252, latin-1, cp1251, shift_jis...) instead of by its"
                   " byte order mark, as UTF-8 or by a guess.")
@click.option("--annotator", "actor", default=None, metavar="NAME",
              help="Who is importing. Also credited with the spans that name no annotator, which are otherwise"
                   " credited to 'unknown'. (Default importer: your annotator name.)")
@click.option("--as-suggestions", is_flag=True,
              help="Import the files' spans (and Label Studio predictions) as suggestions to review, with their"
                   " scores, not as annotations.")
@click.pass_obj
def import_command(options: Options, paths: Sequence[Path], strict: bool, create_labels: bool,
                   max_size: float, format_name: str | None, encoding: str | None, actor: str | None,
                   as_suggestions: bool) -> None:
    """Import articles (and their spans) from files or folders.

    Reads .txt, .md, .html/.htm (the page's main text), .jsonl/.json and
    .csv, and the datasets of other tools:
    doccano, Label Studio, brat (.ann beside its .txt, or a .zip), Web
    Annotation (.jsonld), spaCy (.spacy), CoNLL (.conll) and Parquet; a .json
    or .jsonl is recognised by its content. Folders are searched recursively.
    Every rejected file, line or span is listed on stderr with the reason, and
    the exit status is 1 if anything was rejected.
    """
    store = options.open()
    kind = Importer
    if as_suggestions:
        from ..core.suggestion_import import SuggestionImporter as kind
    who = acting(store, actor)
    importer = kind(store, actor=who, create_labels=create_labels,
                    strict=strict, max_bytes=int(max_size * 1024 * 1024), format=format_name,
                    encoding=encoding)
    if actor:
        importer.default_annotator = who
    bar: Any = None
    if sys.stderr.isatty():
        bar = click.progressbar(length=1, label="importing", file=sys.stderr)

    def progress(done: int, total: int, _current: str) -> bool:
        if bar is not None and total > 20:
            bar.length = total
            bar.update(done - bar.pos)
        return True

    try:
        report = importer.run(paths, progress=progress)
    finally:
        if bar is not None and bar.pos:
            bar.render_finish()
    for problem in report.remarks:
        say(f"{PROG}: note: {problem}", err=True)
    for problem in report.rejected:
        say(f"{PROG}: rejected: {problem}", err=True)
    say(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)


@click.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article instead of a table.")
@click.pass_obj
def list_command(options: Options, as_json: bool) -> None:
    """List articles with their annotation counts per label."""
    store = options.read()
    labels = [label.name for label in store.labels()]
    rows = store.articles_with_counts()
    if as_json:
        for row in rows:
            a = row.article
            say(orjson.dumps({
                "id": a.id, "uid": a.uid, "title": a.title, "source": a.source, "origin": a.origin,
                "length": a.length, "counts": {name: row.counts.get(name, 0) for name in labels},
            }).decode())
        return
    if not rows:
        say(f"no articles in {store.path or 'this database'}; add some with '{PROG} import'", err=True)
        return
    width = shutil.get_terminal_size((100, 24)).columns
    counts = [label[:10] for label in labels] + ["total"]
    fixed = 6 + 2 + 18 + sum(max(len(c), 5) + 2 for c in counts)
    title_width = max(20, width - fixed)
    header = f"{'id':>6}  {pad('title', title_width)}  {pad('source or file', 18)}" + "".join(
        f"  {c:>{max(len(c), 5)}}" for c in counts)
    say(header.rstrip())
    for row in rows:
        a = row.article
        values = [row.counts.get(name, 0) for name in labels] + [row.total]
        say((f"{a.id:>6}  {pad(cut(a.title, title_width), title_width)}  "
                    f"{pad(cut(a.display_source, 18), 18)}"
                    + "".join(f"  {v:>{max(len(c), 5)}}" for c, v in zip(counts, values, strict=True))).rstrip())


@click.command("export")
@db_option
@click.option("--format", "format_name", required=True,
              type=click.Choice([f.name for f in formats.export_formats()]), help="Dataset format.")
@click.option("--out", "out", default="-", metavar="PATH",
              help="File to write; '-' or none for stdout. brat: a folder, or a .zip.")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only spans with this label (repeatable).")
@click.option("--annotator", "annotators", multiple=True, metavar="A",
              help="Only spans by this annotator (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only spans with this review status (repeatable). Formats that cannot mark a span as rejected"
                   " (brat, conll, label-studio) leave rejected spans out unless the statuses are named.")
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID", help="Only this article (repeatable).")
@click.option("--all-articles/--matching-articles", default=None,
              help="With a span filter, also write articles with no matching span (default: only matching).")
@click.option("--bom", is_flag=True,
              help="csv: start with a UTF-8 byte order mark, so that Excel shows accents right.")
@click.pass_obj
def export_command(options: Options, format_name: str, out: str, labels: tuple[str, ...],
                   annotators: tuple[str, ...], statuses: tuple[str, ...], article_ids: tuple[int, ...],
                   all_articles: bool | None, bom: bool) -> None:
    """Write a labelled dataset (spans in Unicode code points).

    What a format cannot keep (nested spans in CoNLL, annotators in brat...)
    is said in a warning on stderr.
    """
    store = options.read()
    known = store.annotators()
    annotators = tuple(spelled(store, annotators))
    for name in annotators:
        if name not in known:  # a typo would otherwise write an empty dataset and exit 0
            raise click.ClickException(f"no annotations by {name!r} in this database"
                                       f" (annotators: {', '.join(known) or 'none'})")
    flt = ExportFilter(labels=labels, annotators=annotators, statuses=statuses,
                       article_ids=article_ids, all_articles=all_articles)
    if out == "-" and formats.get(format_name).binary and sys.stdout.isatty():
        raise click.ClickException(f"the {format_name} format is binary; give --out a file name"
                                   " (or redirect the output) rather than write it to the terminal")
    bar: Any = None
    if sys.stderr.isatty():
        total, _spans = exporter.count(store, flt, format_name)
        if total > 200:  # a large job: show how far it is
            bar = click.progressbar(length=total, label="exporting", file=sys.stderr)

    def progress(done: int) -> bool:
        if bar is not None:
            bar.update(done - bar.pos)
        return True

    try:
        if out == "-" and sys.stdout.isatty():
            # Shown, not kept: a title must not steer the terminal it is shown on.
            with PrintableStream(sys.stdout.buffer) as shown:
                result = exporter.export(store, format_name, shown, flt, progress, bom=bom)
        elif out == "-":
            result = exporter.export(store, format_name, sys.stdout.buffer, flt, progress, bom=bom)
        else:
            result = exporter.export(store, format_name, Path(out), flt, progress, bom=bom)
    finally:
        if bar is not None:
            bar.render_finish()
    say(f"wrote {exporter.written(result, format_name)}" + ("" if out == "-" else f" to {out}"), err=True)
    for warning in result.warnings:
        say(f"{PROG}: warning: {warning}", err=True)
    if result.damaged:
        # The dataset is written, but not whole: a script must not take it for the database's contents.
        raise click.ClickException(f"{result.damaged.summary()}; 'annotator verify --db {store.path}' says more")


@click.command("where")
@db_option
@click.pass_obj
def where_command(options: Options) -> None:
    """Print the path of the database in use (in full; a note on stderr when there is none there yet)."""
    path = Path(os.path.abspath(options.db if options.db is not None else default_database()))
    say(str(path))
    if not path.exists():
        say(f"{PROG}: note: no database there yet; the workspace or an import creates it", err=True)
