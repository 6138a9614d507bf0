"""How numbers are said, the same in the GUI, the command line and reports."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """"1 span", "2 spans", "0 spans"; ``plural`` for a noun whose plural is not noun + s."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def file_size(n: float) -> str:
    """A number of bytes in the unit that shows it: "512 bytes", "9.8 KB", "256.0 KB", "20.0 MB", "10.0 GB".

    Below a megabyte, kilobytes: "0.0 MB" said nothing, "0.2 MB" hid a limit of 256 KB.
    """
    if n < 1024:
        return count(int(n), "byte")
    if n < 1 << 20:
        return f"{n / 1024:.1f} KB"
    if n < 1 << 30:
        return f"{n / (1 << 20):.1f} MB"
    return f"{n / (1 << 30):,.1f} GB"


def short_uid(uid: str) -> str:
    """The end of a uid, for a table: UUIDv7s made in the same minute share their start, never their end.

    Typed back, its start or its end finds the uid (``store.sql.uid_like``).
    """
    return uid[-12:]


def one_uid(found: list[str], typed: str, kind: str) -> str:
    """The one uid of the ``kind`` found for what a user typed (part of the shown uid, or all of it), or why not."""
    from .errors import NotFoundError

    typed = typed.strip().lower()
    if typed in found:
        return typed
    if not found:
        raise NotFoundError(f"no {kind} with a uid matching {typed!r}"
                            " (type the start or the end of the uid a table shows, or all of it)")
    if len(found) > 1:
        shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
        raise NotFoundError(f"{len(found)} {kind}s have a uid matching {typed!r} ({shown});"
                            " type more of it")
    return found[0]
