"""What to do next, said where the user is: the command line names a flag, the window a menu or a box.

The core's messages are shared by both front ends and written in the command
line's words, which the CLI prints unchanged. A phrase of a message that names
a command-line option is a ``Hint`` declared here, with the window's words for
the same step; the core builds its messages from ``Hint.cli`` (never from a
flag typed into a message: tests/core/test_hints.py reads the core's strings),
and the GUI passes every core message it shows through ``in_window``. One table,
so that a new flag in a message cannot reach the window unsaid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hint:
    """A phrase naming a command-line option (``{name}`` fields hold values), and the window's words for it."""

    cli: str
    window: str
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = re.split(r"\{(\w+)\}", self.cli)
        # A field holds one value (an encoding's name): no space, and not the punctuation after it.
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^\\s;,()]+)" for i, p in enumerate(parts))
        object.__setattr__(self, "_pattern", re.compile(regex))

    def say(self, **values: str) -> str:
        """The command line's words, with the values filled in (what a core message holds)."""
        return self.cli.format(**values)

    def found_in(self, text: str) -> bool:
        return self._pattern.search(text) is not None

    def in_window(self, text: str) -> str:
        return self._pattern.sub(lambda m: self.window.format(**m.groupdict()), text)


_BELOW = "under “Read the files as” below"

CREATE_LABELS = Hint("--create-labels adds it", "Edit > Labels… adds it, then import again")
ENCODING_ALL = Hint("give --encoding to read all of it one way",
                    f"choose an encoding {_BELOW} to read all of it one way")
ENCODING_IF_KNOWN = Hint("give --encoding if you know it", f"choose it {_BELOW} if you know it")
ENCODING_IF_OTHER = Hint("give --encoding if it was written in another", f"choose it {_BELOW} if it was written in"
                                                                          " another")
ENCODING_GUESSED = Hint("import it with --encoding {encoding}", f"choose {{encoding}} {_BELOW}")
ENCODING_GIVEN = Hint("but --encoding {encoding} was given; give that encoding, or none",
                      "but the files were to be read as {encoding}; choose that encoding, or none")
MAX_SIZE = Hint("see --max-size", "the window keeps this limit; 'annotator import --max-size' on the command line"
                                  " raises it")
AS_SUGGESTIONS = Hint("annotator import --as-suggestions reads them",
                      "'annotator import --as-suggestions' on the command line reads them")
STRICT = Hint("(--strict)", "(all or nothing)")
STATUSES = Hint("name the statuses to write them: --status pending --status accepted --status rejected",
                "tick every status under Status to write them")
OUT_FILE = Hint("give --out a file name", "choose a file to write")
FOLDS = Hint("and --folds 2 or more", "and cross-validation on")

HINTS = (CREATE_LABELS, ENCODING_ALL, ENCODING_IF_KNOWN, ENCODING_IF_OTHER, ENCODING_GUESSED, ENCODING_GIVEN, MAX_SIZE,
         AS_SUGGESTIONS, STRICT, STATUSES, OUT_FILE, FOLDS)
ENCODING = (ENCODING_ALL, ENCODING_IF_KNOWN, ENCODING_IF_OTHER, ENCODING_GUESSED, ENCODING_GIVEN)
"""The hints that send the user to choose an encoding (the window then offers its box)."""

COMMANDS = ("annotator verify --db",)
"""Whole commands a message may name as they are, in the window too: the database they are about is one
the window cannot open (damaged, or the other side of a merge), so a terminal is where to run them."""


def in_window(text: str) -> str:
    """A core message as the window says it: each hint's command-line words put as the window's."""
    if "--" not in text:
        return text
    for hint in HINTS:
        text = hint.in_window(text)
    return text


__all__ = ["COMMANDS", "ENCODING", "HINTS", "Hint", "in_window"]
