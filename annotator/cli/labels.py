"""Commands for the label set and the guidelines: labels (list, add, set, delete), labels guidelines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.errors import ImportFileError, LabelError
from ..core.formats.base import ReadOptions, encoding_remark, read_named_file
from ..core.labels import GUIDELINES_LIMIT, LabelChange
from ..core.store import Store
from ..core.text import decode
from ..core.words import file_size
from . import PROG, Options, acting, db_option, say
from .claims import as_option, echo


def _actor(actor: str | None, store: Store) -> str:
    return acting(store, actor)


@click.group("labels", invoke_without_command=True)
@db_option
@click.pass_context
def labels_command(ctx: click.Context) -> None:
    """List the labels: key, name, colour, how many spans use each, and its description (the guideline).

    Subcommands add, change and delete labels and show or set the project's
    guidelines; each change is one event in the audit log, as in the workspace
    (Edit > Labels…).
    """
    if ctx.invoked_subcommand is not None:
        return
    store = ctx.ensure_object(Options).read()
    use = store.label_use()
    for label in store.labels():
        description = " ".join(label.description.split())
        used = use[label.name]
        spans = "span " if used == 1 else "spans"
        echo(f"{label.shortcut or '-':>2}  {label.name:<14} {label.colour}  {used:>6} {spans}  {description}")


def _said(change: LabelChange) -> None:
    echo(change.said(), err=True)


@labels_command.command("add")
@db_option
@click.argument("name")
@click.option("--colour", "--color", "colour", required=True, metavar="#RRGGBB", help="Its colour.")
@click.option("--key", default="", metavar="K", help="Its key in the workspace: one character.")
@click.option("--description", default="", metavar="TEXT", help="Its guideline: what to tag with it.")
@as_option
@click.pass_obj
def add_command(options: Options, name: str, colour: str, key: str, description: str, actor: str | None) -> None:
    """Add a label (placed last)."""
    store = options.open()
    _said(store.create_label(name, colour, key, description, actor=_actor(actor, store)))


@labels_command.command("set")
@db_option
@click.argument("name")
@click.option("--name", "new_name", default=None, metavar="NEW", help="Rename it (its spans keep it).")
@click.option("--colour", "--color", "colour", default=None, metavar="#RRGGBB", help="Recolour it.")
@click.option("--key", default=None, metavar="K", help="Give it this key ('' for none).")
@click.option("--description", default=None, metavar="TEXT", help="Its guideline.")
@as_option
@click.pass_obj
def set_command(options: Options, name: str, new_name: str | None, colour: str | None, key: str | None,
                description: str | None, actor: str | None) -> None:
    """Rename, recolour, re-key or describe a label."""
    store = options.open()
    _said(store.edit_label(name, new_name=new_name, colour=colour, shortcut=key, description=description,
                                    actor=_actor(actor, store)))


@labels_command.command("delete")
@db_option
@click.argument("name")
@as_option
@click.pass_obj
def delete_command(options: Options, name: str, actor: str | None) -> None:
    """Delete a label no span uses."""
    store = options.open()
    _said(store.delete_label(name, actor=_actor(actor, store)))


def _guidelines_file(source: Path | None) -> str:
    """The text of ``--from``, read by the import's rules (a regular file, a size limit, its decoding), or why not."""
    options = ReadOptions(max_bytes=GUIDELINES_LIMIT, limit_hint="guidelines are a few pages of Markdown")
    try:
        if str(source) == "-":
            data = sys.stdin.buffer.read(GUIDELINES_LIMIT + 1)
            if len(data) > GUIDELINES_LIMIT:
                raise ImportFileError(f"more than the limit of {file_size(GUIDELINES_LIMIT)} ({options.limit_hint})")
            decoded = decode(data)
        else:
            assert source is not None
            decoded = read_named_file(source, options)
    except ImportFileError as exc:
        raise click.ClickException(f"{_named(source)}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"{_named(source)}: cannot be read ({exc.strerror or exc})") from None
    for remark in encoding_remark(_named(source), decoded):
        echo(f"{PROG}: note: {remark}", err=True)
    return decoded.text


def _named(source: Path | None) -> str:
    return "standard input" if str(source) == "-" else str(source)


@labels_command.command("guidelines")
@db_option
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Set the guidelines to this Markdown file's text ('-': standard input).")
@click.option("--clear", is_flag=True, help="Remove the guidelines.")
@as_option
@click.pass_obj
def guidelines_command(options: Options, source: Path | None, clear: bool, actor: str | None) -> None:
    """Print the project's guidelines (Markdown), or set them from a file."""
    store = options.open() if source is not None or clear else options.read()
    if source is not None or clear:
        if source is not None and clear:
            raise click.UsageError("give --from or --clear, not both")
        text = "" if clear else _guidelines_file(source)
        try:
            change = store.set_guidelines(text, actor=_actor(actor, store))
        except LabelError as exc:
            raise click.ClickException(f"{_named(source)}: {exc}" if source is not None else str(exc)) from None
        _said(change)
        return
    text = store.guidelines()
    if not text:
        echo(f"{PROG}: no guidelines yet ('annotator labels guidelines --from FILE.md' sets them)", err=True)
        return
    say(text, lines=True)  # Markdown keeps its lines; a control character in it is shown, not sent
