"""The ``annotator`` command: a bare launch opens the workspace, anything else goes to the command line.

A bare ``annotator`` skips click and the subcommand machinery altogether: start-up
is felt on every launch, and parsing no arguments is not worth 10 ms of imports.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable

from .core.errors import AnnotatorError
from .core.paths import ENV_DB

PROG = "annotator"


def fail(message: str) -> None:
    """The one line an error gets: newlines and tabs (click lists choices on several) folded."""
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr, flush=True)


def guarded(run: Callable[[], int]) -> int:
    """Run ``run``; every failure becomes one line on stderr and an exit status, never a traceback."""
    try:
        return run()
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


def main() -> int:
    """The console script."""
    # click's shell completion also runs the command with no arguments (and an env var).
    if len(sys.argv) == 1 and not os.environ.get(ENV_DB) and "_ANNOTATOR_COMPLETE" not in os.environ:
        from .gui.app import run

        return guarded(lambda: run(None))
    from .cli import main as cli_main

    return cli_main()
