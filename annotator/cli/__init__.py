"""The command line: parses arguments, calls the core, prints. No domain logic here.

Subcommands are loaded when they run (click's lazy group pattern): a bare
``annotator`` opens the workspace without importing every format and report.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__
from ..core.paths import ENV_DB
from ..core.terminal import printable, printable_lines
from ..core.words import count  # noqa: F401 - the subcommands take it from here
from ..guard import PROG, fail, guarded

if TYPE_CHECKING:
    from ..core.store import Store


def say(message: str = "", *, err: bool = False, lines: bool = False) -> None:
    """Print one line (to stderr with ``err``), every control character in it escaped.

    The one way the commands print: data in the line (a title, a label, a
    file name) can never steer the terminal, through a pipe or not. With
    ``lines`` the message's own line breaks are kept (indented JSON, whose
    strings hold none).
    """
    if err:
        flush_stdout()
    click.echo(printable_lines(message) if lines else printable(message), err=err)


def flush_stdout() -> None:
    """Before anything goes to stderr: what went to stdout so far (rows, a dataset written through its
    binary buffer) goes out first, so that a count or a warning on stderr lands after the last row, not
    inside it, when both reach one terminal or one file (QA4-25)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):   # closed, or a reader gone (| head): the write itself says so
        pass


def _cell_width(ch: str) -> int:
    # What a terminal gives a character: wide (CJK, most emoji) 2, combining marks and joiners 0.
    if unicodedata.combining(ch) or ch in "\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(_cell_width(ch) for ch in text)


def cut(text: str, width: int) -> str:
    """Text shortened to ``width`` terminal cells for a table column, on one line, controls escaped."""
    text = printable(" ".join(text.split()))
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal cells (str.ljust counts code points, not cells)."""
    return text + " " * max(0, width - display_width(text))


def acting(store: Store, typed: str | None) -> str:
    """Who does what a command does: ``--as``/``--annotator``, else the saved annotator name, else the login name.

    Kept to the rules a name keeps (``model.check_annotator_name``) and spelled
    as this database already spells that person: "Ana" acts as "ana" when the
    database knows "ana", and the command says so on stderr.
    """
    from ..core.model import check_annotator_name
    from ..core.paths import login_name
    from ..core.profile import annotator_name

    name = check_annotator_name(typed or annotator_name() or login_name(),
                                "the name given" if typed else "the annotator name")
    spelled = store.annotator_spelling(name)
    if spelled != name:
        say(f"{PROG}: note: {name!r} is spelled {spelled!r} in this database (a name is one person however it is"
            f" cased); acting as {spelled!r}", err=True)
    return spelled


def spelled(store: Store, names: Sequence[str]) -> list[str]:
    """Annotator names typed for a filter, as this database spells them ("Ana" finds ana's spans)."""
    return [store.annotator_spelling(name) for name in names]


@dataclass
class Options:
    db: Path | None = None

    def open(self) -> Store:
        """The database for a command that writes; one this command creates goes again if it writes nothing."""
        from ..core.paths import database_path, discard_if_unused, open_database

        target = database_path(self.db)
        fresh = not target.exists() and not target.is_symlink()
        with _emptied_by_the_shell(target):
            store = open_database(self.db, waiting=_waiting(target))
        if fresh:
            context = click.get_current_context(silent=True)
            if context is not None:
                context.find_root().call_on_close(lambda: discard_if_unused(store))
        return store

    def read(self) -> Store:
        """The database for a command that only reads: nothing is created, migrated or written."""
        from ..core.paths import database_path, open_for_reading

        target = database_path(self.db)
        with _emptied_by_the_shell(target):
            return open_for_reading(self.db, waiting=_waiting(target))


@contextlib.contextmanager
def _emptied_by_the_shell(target: Path) -> Iterator[None]:
    """An empty database that is also this command's output was emptied by the shell's '>': say that.

    The shell truncates the file named after '>' before the command starts,
    so a refusal to write into the database in use comes too late: the
    database is already gone, and only a backup brings it back.
    """
    from ..core.errors import DatabaseError, EmptyDatabaseError

    emptied = DatabaseError(
        f"{target} is empty (0 bytes): the shell emptied it before annotator started, because this command's"
        f" output is redirected into it ('>'). Restore {target} from a backup, and send the output to another"
        " file")
    # Checked first: the default database, found empty, is made anew with the seeds (a first start killed
    # before its first commit leaves it so), which would hide the loss behind "nothing was written".
    if _is_empty(target) and _is_stdout(target):
        raise emptied
    try:
        yield
    except EmptyDatabaseError as exc:
        if not _is_stdout(target):
            raise
        raise emptied from exc


def _is_empty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def _is_stdout(path: Path) -> bool:
    """Whether stdout is ``path`` opened by '>' (not '>>', which leaves a file as it was)."""
    try:
        out, db = os.fstat(sys.stdout.fileno()), path.stat()
        import fcntl

        appending = bool(fcntl.fcntl(sys.stdout.fileno(), fcntl.F_GETFL) & os.O_APPEND)
    except (OSError, ValueError, AttributeError, ImportError):
        return False
    return (out.st_dev, out.st_ino) == (db.st_dev, db.st_ino) and not appending


def _waiting(path: Path) -> TerminalWait:
    """A command that finds another program writing (an import, a merge) waits for it, and says so."""
    context = click.get_current_context(silent=True)
    command = f"'{PROG} {context.info_name}'" if context is not None and context.info_name else "this command"
    return TerminalWait(path, command)


class TerminalWait:
    """While another program writes to the database: say so once on stderr, and wait for it (Ctrl+C stops)."""

    def __init__(self, path: Path | None, what: str) -> None:
        self.path, self.what = path, what
        self.said = False

    def wait(self, waited: float) -> bool:
        if not self.said:
            say(f"{PROG}: waiting: another program is writing to {self.path} (an import or a merge?);"
                f" {self.what} goes on as soon as it has finished (Ctrl+C to stop it)", err=True)
            self.said = True
        return True

    def done(self) -> None:
        self.said = False


def _set_db(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        ctx.ensure_object(Options).db = value
    return value


db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), expose_value=False, callback=_set_db,
    is_eager=True, help=f"Database file (default: ${ENV_DB}, else the user data folder).",
)


class LazyGroup(click.Group):
    """Commands named here by "module:function" and imported only when used."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, name = self.lazy[cmd_name].split(":")
            return getattr(importlib.import_module(module, __name__), name)
        return super().get_command(ctx, cmd_name)


COMMANDS = {
    "import": ".dataset:import_command", "list": ".dataset:list_command", "export": ".dataset:export_command",
    "labels": ".labels:labels_command", "where": ".dataset:where_command",
    "history": ".review:history_command", "verify": ".review:verify_command", "queue": ".review:queue_command",
    "compare": ".review:compare_command", "agreement": ".review:agreement_command",
    "merge": ".review:merge_command",
    "claims": ".claims:claims_command", "article": ".claims:article_command",
    "settings": ".claims:settings_command",
    "suggest": ".suggestions:suggest_command", "suggestions": ".suggestions:suggestions_command",
    "train": ".suggestions:train_command", "cues": ".suggestions:cues_command",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), envvar=ENV_DB, show_envvar=True,
    help="Database file (default: annotations.db in the user data folder).",
)
@click.option("--review", is_flag=True, help="Open the workspace in reviewer mode.")
@click.version_option(__version__, prog_name=PROG)
@click.pass_context
def cli(ctx: click.Context, db: Path | None, review: bool) -> None:
    """Annotate news articles: tag spans as claim, denial or background.

    With no command, opens the annotation workspace.
    """
    options = ctx.ensure_object(Options)
    if options.db is None:
        options.db = db
    if ctx.invoked_subcommand is None:
        from ..gui.app import run

        ctx.exit(run(options.db, review=review))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every failure becomes one line on stderr and an exit status."""
    return guarded(lambda: _run_click(argv))


def _run_click(argv: Sequence[str] | None) -> int:
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        fail("aborted")
        return 130
    except click.UsageError as exc:
        # The command's whole path ("annotator claims link"): a nested command's own name alone
        # ("annotator link") names a command that does not exist.
        where = f"{exc.ctx.command_path} --help" if exc.ctx else f"{PROG} --help"
        fail(f"{exc.format_message()}{_dash_hint(exc)} (see '{where}')")
        return 2
    except click.ClickException as exc:
        fail(exc.format_message())
        return exc.exit_code


def _dash_hint(exc: click.UsageError) -> str:
    """For "No such option '-x'" where '-x' was meant as a name or a value (a label, a number below zero)."""
    if not isinstance(exc, click.NoSuchOption) or exc.option_name.startswith("--") or exc.possibilities:
        return ""
    command = exc.ctx.command_path if exc.ctx else PROG
    return (f" A name or value that starts with '-' goes after '--', the options before it:"
            f" {command} [OPTIONS] -- {exc.option_name}")


if __name__ == "__main__":
    sys.exit(main())
