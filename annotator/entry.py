"""The ``annotator`` command: a bare launch opens the workspace, anything else goes to the command line.

A bare ``annotator`` skips click and the subcommand machinery altogether: start-up
is felt on every launch, and parsing no arguments is not worth 10 ms of imports.
"""

from __future__ import annotations

import os
import sys

from .core.paths import ENV_DB
from .guard import guarded


def main() -> int:
    """The console script."""
    # click's shell completion also runs the command with no arguments (and an env var).
    if len(sys.argv) == 1 and not os.environ.get(ENV_DB) and "_ANNOTATOR_COMPLETE" not in os.environ:
        from .gui.app import run

        return guarded(lambda: run(None))
    from .cli import main as cli_main

    return cli_main()
