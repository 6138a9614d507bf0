"""Failures said as one line: what every command (and a GUI that cannot start) prints instead of a traceback.

Both the bare ``annotator`` launch (``entry``) and the click commands (``cli``)
use it; it imports neither, so neither imports the other.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable

from .core.errors import AnnotatorError
from .core.terminal import printable

PROG = "annotator"


def fail(message: str) -> None:
    """The one line an error gets: newlines and tabs (click lists choices on several) folded, controls escaped."""
    try:
        sys.stdout.flush()   # the rows printed before the failure first, then the error after them
    except (OSError, ValueError):
        pass
    print(f"{PROG}: error: {printable(' '.join(message.split()))}", file=sys.stderr, flush=True)


def guarded(run: Callable[[], int]) -> int:
    """Run ``run``; every failure becomes one line on stderr and an exit status, never a traceback."""
    try:
        return run()
    except AnnotatorError as exc:
        fail(str(exc))
        return 1
    except sqlite3.Error as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            fail(f"the database is damaged ({exc}); 'annotator verify' says where")
        elif "locked" in str(exc) or "busy" in str(exc):
            fail("the database is busy: another program is writing to it; try again when it has finished")
        else:
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
