"""How numbers are said, the same in the GUI, the command line and reports."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """"1 span", "2 spans", "0 spans" (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
