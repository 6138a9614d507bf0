"""The command line: parses arguments, calls the core, prints. No domain logic here."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import orjson

from . import __version__
from .core import audit, exporter, formats
from .core.agreement import AgreementReport, Scores, agreement
from .core.compare import compare
from .core.errors import AnnotatorError
from .core.exporter import ExportFilter
from .core.importer import Importer
from .core.merge import merge_database
from .core.model import STATUSES
from .core.paths import ENV_DB, default_database, login_name, open_database
from .core.review import QueueFilter, queue
from .core.store import Store

PROG = "annotator"


def fail(message: str) -> None:
    """The one line an error gets: newlines and tabs (click lists choices on several) folded."""
    click.echo(f"{PROG}: error: {' '.join(message.split())}", err=True)


@dataclass
class Options:
    db: Path | None = None

    def open(self) -> Store:
        return open_database(self.db)


def _set_db(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        ctx.ensure_object(Options).db = value
    return value


db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), expose_value=False, callback=_set_db,
    is_eager=True, help=f"Database file (default: ${ENV_DB}, else the user data folder).",
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), envvar=ENV_DB, show_envvar=True,
    help="Database file (default: annotations.db in the user data folder).",
)
@click.version_option(__version__, prog_name=PROG)
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Annotate news articles: tag spans as claim, denial or background.

    With no command, opens the annotation workspace.
    """
    options = ctx.ensure_object(Options)
    if options.db is None:
        options.db = db
    if ctx.invoked_subcommand is None:
        from .gui.app import run

        ctx.exit(run(options.db))


@cli.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="All or nothing: import nothing if anything is rejected.")
@click.option("--create-labels", is_flag=True, help="Create labels the files use but the database lacks.")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=20, show_default=True,
              metavar="MB", help="Largest article text accepted, in megabytes.")
@click.option("--format", "format_name", type=click.Choice([f.name for f in formats.import_formats()]),
              help="Read every file as this format instead of going by its extension.")
@click.option("--annotator", "actor", default=None, metavar="NAME",
              help="Who is importing; also the annotator of spans that name none (default: your login name).")
@click.pass_obj
def import_command(options: Options, paths: Sequence[Path], strict: bool, create_labels: bool,
                   max_size: float, format_name: str | None, actor: str | None) -> None:
    """Import articles (and their spans) from files or folders.

    Reads .txt, .md, .jsonl/.json and .csv, and the datasets of other tools:
    doccano, Label Studio, brat (.ann beside its .txt, or a .zip), Web
    Annotation (.jsonld), spaCy (.spacy), CoNLL (.conll) and Parquet; a .json
    or .jsonl is recognised by its content. Folders are searched recursively.
    Every rejected file, line or span is listed on stderr with the reason, and
    the exit status is 1 if anything was rejected.
    """
    store = options.open()
    importer = Importer(store, actor=actor or login_name(), create_labels=create_labels, strict=strict,
                        max_bytes=int(max_size * 1024 * 1024), format=format_name)
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
        click.echo(f"{PROG}: note: {problem}", err=True)
    for problem in report.rejected:
        click.echo(f"{PROG}: rejected: {problem}", err=True)
    click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)


@cli.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article instead of a table.")
@click.pass_obj
def list_command(options: Options, as_json: bool) -> None:
    """List articles with their annotation counts per label."""
    store = options.open()
    labels = [label.name for label in store.labels()]
    rows = store.articles_with_counts()
    if as_json:
        for row in rows:
            a = row.article
            click.echo(orjson.dumps({
                "id": a.id, "uid": a.uid, "title": a.title, "source": a.source, "origin": a.origin,
                "length": a.length, "counts": {name: row.counts.get(name, 0) for name in labels},
            }).decode())
        return
    if not rows:
        click.echo(f"no articles in {store.path or 'this database'}; add some with '{PROG} import'", err=True)
        return
    width = shutil.get_terminal_size((120, 24)).columns
    counts = [label[:10] for label in labels] + ["total"]
    fixed = 6 + 2 + 18 + sum(max(len(c), 5) + 2 for c in counts)
    title_width = max(20, width - fixed)
    header = f"{'id':>6}  {'title':<{title_width}}  {'source':<18}" + "".join(
        f"  {c:>{max(len(c), 5)}}" for c in counts)
    click.echo(header.rstrip())
    for row in rows:
        a = row.article
        values = [row.counts.get(name, 0) for name in labels] + [row.total]
        click.echo((f"{a.id:>6}  {_cut(a.title, title_width):<{title_width}}  {_cut(a.display_source, 18):<18}"
                    + "".join(f"  {v:>{max(len(c), 5)}}" for c, v in zip(counts, values, strict=True))).rstrip())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command("export")
@db_option
@click.option("--format", "format_name", required=True,
              type=click.Choice([f.name for f in formats.export_formats()]), help="Dataset format.")
@click.option("--out", "out", default="-", metavar="PATH",
              help="File to write; '-' or none for stdout. brat: a folder, or a .zip.")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only spans with this label (repeatable).")
@click.option("--annotator", "annotators", multiple=True, metavar="A",
              help="Only spans by this annotator (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only spans with this review status (repeatable).")
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID", help="Only this article (repeatable).")
@click.option("--all-articles/--matching-articles", default=None,
              help="With a span filter, also write articles with no matching span (default: only matching).")
@click.pass_obj
def export_command(options: Options, format_name: str, out: str, labels: tuple[str, ...],
                   annotators: tuple[str, ...], statuses: tuple[str, ...], article_ids: tuple[int, ...],
                   all_articles: bool | None) -> None:
    """Write a labelled dataset (spans in Unicode code points).

    What a format cannot keep (nested spans in CoNLL, annotators in brat...)
    is said in a warning on stderr.
    """
    store = options.open()
    flt = ExportFilter(labels=labels, annotators=annotators, statuses=statuses,
                       article_ids=article_ids, all_articles=all_articles)
    if out == "-":
        result = exporter.export(store, format_name, sys.stdout.buffer, flt)
        click.echo(f"wrote {result.articles} articles, {result.spans} spans", err=True)
    else:
        result = exporter.export(store, format_name, Path(out), flt)
        click.echo(f"wrote {result.articles} articles, {result.spans} spans to {out}", err=True)
    for warning in result.warnings:
        click.echo(f"{PROG}: warning: {warning}", err=True)


@cli.command("labels")
@db_option
@click.pass_obj
def labels_command(options: Options) -> None:
    """List the labels with their colours and shortcuts."""
    for label in options.open().labels():
        click.echo(f"{label.shortcut or '-':>2}  {label.name:<14} {label.colour}  {label.description}")


@cli.command("where")
@db_option
@click.pass_obj
def where_command(options: Options) -> None:
    """Print the path of the database in use."""
    click.echo(options.db if options.db is not None else default_database())


# ------------------------------------------------------------- review and audit


@cli.command("history")
@db_option
@click.argument("uid")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event instead of text.")
@click.pass_obj
def history_command(options: Options, uid: str, as_json: bool) -> None:
    """Show the full history of one annotation: who changed what, when, before and after.

    UID may be the first few characters of the annotation's uid.
    """
    store = options.open()
    found = audit.annotation_history(store, audit.resolve_annotation_uid(store, uid))
    if as_json:
        for e in found.entries:
            click.echo(orjson.dumps({
                "event": e.event_uid, "at": e.at, "actor": e.actor, "action": e.action,
                "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in e.changes],
            }).decode())
        return
    current = found.current
    where = f'article {found.article.id} "{_cut(found.article.title, 50)}"' if found.article else "unknown article"
    if current is None:
        click.echo(f"annotation {found.uid} (deleted), {where}")
    else:
        click.echo(f"annotation {found.uid}: {current.label} [{current.start}, {current.end}) "
                   f"{_cut(repr(current.text), 60)} by {current.annotator}, {current.status}, {where}")
    width = max((len(e.actor) for e in found.entries), default=5)
    for e in found.entries:
        click.echo(f"  {e.at}  {e.actor:<{width}}  {e.action:<8}  {e.describe()}")


@cli.command("verify")
@db_option
@click.option("--head", metavar="HASH", help="A head hash noted from an earlier verify: check it is still in the log.")
@click.pass_obj
def verify_command(options: Options, head: str | None) -> None:
    """Check that the event log is intact and that the tables match it.

    Recomputes the hash chain and names the first event altered, removed or
    moved, then replays the log against the annotations. Exit status 0 when
    intact, 1 when not. Note the printed head hash somewhere safe: '--head'
    then also catches a log rewritten from scratch or cut back.
    """
    report = audit.verify(options.open(), head=head)
    click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)


@cli.command("queue")
@db_option
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID", help="Only this article (repeatable).")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only this label (repeatable).")
@click.option("--annotator", "annotators", multiple=True, metavar="A", help="Only this annotator (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only this review status (repeatable; default: pending).")
@click.option("--all", "all_statuses", is_flag=True, help="Every review status.")
@click.pass_obj
def queue_command(options: Options, article_ids: tuple[int, ...], labels: tuple[str, ...],
                  annotators: tuple[str, ...], statuses: tuple[str, ...], all_statuses: bool) -> None:
    """List the review queue: annotations in review order (article, then position)."""
    if not statuses and not all_statuses:
        statuses = ("pending",)
    flt = QueueFilter(article_ids=article_ids, labels=labels, annotators=annotators,
                      statuses=() if all_statuses else statuses)
    items = queue(options.open(), flt)
    for a in items:
        click.echo(f"{a.uid[:8]}  {a.article_id:>5}  [{a.start}, {a.end})  {a.label:<12} {a.annotator:<12} "
                   f"{a.status:<8}  {_cut(repr(a.text), 50)}")
    click.echo(f"{len(items)} {'annotation' if len(items) == 1 else 'annotations'} in the queue", err=True)


@cli.command("compare")
@db_option
@click.option("--article", "article_id", required=True, type=int, metavar="ID", help="The article to compare on.")
@click.argument("annotator_a")
@click.argument("annotator_b")
@click.pass_obj
def compare_command(options: Options, article_id: int, annotator_a: str, annotator_b: str) -> None:
    """List where two annotators disagree on one article, in text order."""
    result = compare(options.open(), article_id, annotator_a, annotator_b)
    for d in result.disagreements:
        click.echo(f"{d.kind:<9} {d.describe()}")
    click.echo(f"{len(result.agreements)} spans agree exactly, {len(result.disagreements)} disagreements", err=True)


@cli.command("agreement")
@db_option
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--annotators", "annotators_flag", is_flag=True,
              help="Marks the names that follow as the annotators to compare (default: everyone with spans).")
@click.option("--annotator", "annotators", multiple=True, metavar="A", help="An annotator to compare (repeatable).")
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID",
              help="Only this article (repeatable; default: every article one of them annotated).")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only this label (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="The whole report as one JSON object.")
@click.pass_obj
def agreement_command(options: Options, names: tuple[str, ...], annotators_flag: bool, annotators: tuple[str, ...],
                      article_ids: tuple[int, ...], labels: tuple[str, ...], as_json: bool) -> None:
    """Agreement between annotators: span precision/recall/F1, Cohen's kappa, Krippendorff's alpha.

    Usage: annotator agreement [--annotators A B ...] [--article ID] [--label L].
    Span figures take the first of each pair as the reference (exact and overlap
    match, per label and overall); kappa (each pair) and alpha (all together)
    are computed per character.
    """
    if annotators_flag and not names:
        raise click.UsageError("name the annotators after --annotators")
    report = agreement(options.open(), annotators=[*annotators, *names], article_ids=article_ids, labels=labels)
    if as_json:
        click.echo(orjson.dumps(_agreement_json(report), option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(f"annotators: {', '.join(report.annotators)}; {len(report.article_ids)} "
               f"{'article' if len(report.article_ids) == 1 else 'articles'}, {report.characters} characters; "
               f"labels: {', '.join(report.labels) or 'none'}")
    click.echo("")
    click.echo("span level (B against A as reference)      exact match            overlap match")
    click.echo(f"{'A':<10} {'B':<10} {'label':<12} {'A':>4} {'B':>4}   {'P':>5} {'R':>5} {'F1':>5}   "
               f"{'P':>5} {'R':>5} {'F1':>5}")
    for pair in report.pairs:
        for row in pair.spans:
            click.echo(f"{_cut(pair.a, 10):<10} {_cut(pair.b, 10):<10} {_cut(row.label or 'all', 12):<12} "
                       f"{row.a_spans:>4} {row.b_spans:>4}   {_prf(row.exact)}   {_prf(row.overlap)}")
    click.echo("")
    click.echo("per character (label 'all': the set of labels covering each character)")
    header = ["all", *report.labels]
    click.echo(f"{'':<28}" + "".join(f"{_cut(h, 10):>11}" for h in header))
    for pair in report.pairs:
        click.echo(f"{_cut(f'kappa {pair.a} ~ {pair.b}', 28):<28}"
                   + "".join(f"{_num(f.value):>11}" for f in pair.kappa))
    click.echo(f"{'alpha (all annotators)':<28}" + "".join(f"{_num(f.value):>11}" for f in report.alpha))


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _prf(s: Scores) -> str:
    return f"{_num(s.precision):>5} {_num(s.recall):>5} {_num(s.f1):>5}"


def _agreement_json(report: AgreementReport) -> dict[str, Any]:
    def scores(s: Scores) -> dict[str, float | None]:
        return {"precision": s.precision, "recall": s.recall, "f1": s.f1}

    return {
        "annotators": list(report.annotators), "articles": list(report.article_ids), "labels": list(report.labels),
        "characters": report.characters,
        "pairs": [{
            "a": pair.a, "b": pair.b,
            "spans": [{"label": r.label, "a_spans": r.a_spans, "b_spans": r.b_spans,
                       "exact_matches": r.exact_matches, "exact": scores(r.exact),
                       "a_overlapped": r.a_overlapped, "b_overlapped": r.b_overlapped, "overlap": scores(r.overlap)}
                      for r in pair.spans],
            "kappa": [{"label": f.label, "value": f.value} for f in pair.kappa],
        } for pair in report.pairs],
        "alpha": [{"label": f.label, "value": f.value} for f in report.alpha],
    }


@cli.command("merge")
@db_option
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be merged, and change nothing.")
@click.option("--as", "actor", default=None, metavar="NAME", help="Who merges (default: your login name).")
@click.pass_obj
def merge_command(options: Options, others: Sequence[Path], dry_run: bool, actor: str | None) -> None:
    """Merge colleagues' databases into this one (articles, annotations, history).

    The other files are only read. Merging the same file twice changes nothing.
    An annotation changed on both machines keeps both versions in its history
    and the later one as current; each such conflict is listed.
    """
    store = options.open()
    for other in others:
        report = merge_database(store, other, actor=actor or login_name(), dry_run=dry_run)
        click.echo(report.summary())
        for conflict in report.conflicts:
            click.echo(f"  conflict: {conflict.describe()}")
        for note in report.notes:
            click.echo(f"  note: {note}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every failure becomes one line on stderr and an exit status."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        fail("aborted")
        return 130
    except click.UsageError as exc:
        where = f"{PROG} {exc.ctx.info_name} --help" if exc.ctx and exc.ctx.parent else f"{PROG} --help"
        if exc.ctx and exc.ctx.info_name == PROG:
            where = f"{PROG} --help"
        fail(f"{exc.format_message()} (see '{where}')")
        return 2
    except click.ClickException as exc:
        fail(exc.format_message())
        return exc.exit_code
    except AnnotatorError as exc:
        fail(str(exc))
        return 1
    except sqlite3.Error as exc:
        fail(f"database error: {exc}")
        return 1
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (| head): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        fail(f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}")
        return 1
    except Exception as exc:  # a bug: still no traceback unless asked for
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (run with ANNOTATOR_DEBUG=1 for details)")
        return 1


if __name__ == "__main__":
    sys.exit(main())
