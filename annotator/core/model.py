"""The domain values: articles, labels, annotations and events.

Offsets are always Unicode code point indices into the article's stored text
(Python ``str`` indices), half-open ``[start, end)``.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .errors import FieldError, LabelError, SpanError, UidError
from .words import count

STATUSES: tuple[str, ...] = ("pending", "accepted", "rejected")


def now_iso() -> str:
    """The current UTC time as ISO 8601 with milliseconds and a ``Z``.

    Milliseconds because merges order concurrent edits by this stamp.
    """
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# The last UUIDv7's millisecond and counter, then random bytes drawn 4 KB at a time
# (one getrandom() per uid was a quarter of its cost) and how many are used.
_uid_state: list[Any] = [0, 0, b"", 0]
_uid_lock = threading.Lock()


def _forget_random_bytes() -> None:
    _uid_state[2:] = [b"", 0]  # a forked child must not reuse its parent's bytes


os.register_at_fork(after_in_child=_forget_random_bytes)


def new_uid() -> str:
    """A fresh UUIDv7 (RFC 9562): time-ordered, so that new keys land at the end of an index.

    Random UUIDv4 keys scatter each insert over the whole uid index; bulk imports
    spent most of their time there. 48 bits of milliseconds, a 12-bit counter
    that keeps uids made in the same millisecond in order (method 1 of the RFC),
    then 62 random bits: unique across machines as a UUIDv4 is.
    """
    with _uid_lock:
        last_ms, counter, pool, used = _uid_state
        if used + 10 > len(pool):
            pool, used = os.urandom(4096), 0
        rand = int.from_bytes(pool[used:used + 10], "big")
        ms = time.time_ns() // 1_000_000
        if ms <= last_ms:
            # The same millisecond (or a clock set back): count on from the last uid.
            ms, counter = last_ms, counter + 1
            if counter > 0xFFF:
                ms, counter = ms + 1, 0
        else:
            # A random start leaves room to count, and hides how many came before.
            counter = rand >> 69
        _uid_state[:] = [ms, counter, pool, used + 10]
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | (0x7000 | counter) << 64 | 0b10 << 62 | rand & (1 << 62) - 1
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


UID_MAX_LENGTH = 128
_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Names Windows keeps for devices, with or without an extension ("nul.txt" opens the null device).
_DEVICE_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"{port}{i}" for port in ("com", "lpt") for i in range(10))])


def uid_problem(uid: object) -> str | None:
    """Why ``uid`` is not a valid uid, or None when it is.

    A valid uid is 1 to 128 ASCII letters, digits, ``.``, ``_`` and ``-``,
    starting with a letter or digit and not ending with ``.``, and not a
    Windows device name (``con``, ``nul``, ``com1``...). Such a uid is a file
    name on Linux, macOS and Windows and never a path (no slash, never ``..``),
    never a hidden file, never read as a command-line option or a spreadsheet
    formula. Every UUID is one.
    """
    if not isinstance(uid, str):
        return f"a uid is text, not {type(uid).__name__}"
    if not uid:
        return "it is empty"
    if len(uid) > UID_MAX_LENGTH:
        return f"it is longer than {UID_MAX_LENGTH} characters"
    if not _UID.fullmatch(uid):
        return "only ASCII letters, digits, '.', '_' and '-' are allowed, and it must start with a letter or digit"
    if uid.endswith("."):
        return "it ends with '.'"
    if uid.split(".", 1)[0].lower() in _DEVICE_NAMES:
        return "it is a name Windows keeps for a device"
    return None


def is_safe_uid(uid: object) -> bool:
    """Whether ``uid`` is a valid uid (see ``uid_problem``): safe as a file name, never a path."""
    return uid_problem(uid) is None


def check_uid(uid: object) -> str:
    """``uid`` itself when it is valid; else raise SpanError saying why."""
    problem = uid_problem(uid)
    if problem is not None:
        raise UidError(f"{uid!r} is not a valid uid: {problem}")
    assert isinstance(uid, str)
    return uid


def check_span(text: str, start: int, end: int, span_text: str | None = None) -> None:
    """Raise SpanError unless ``[start, end)`` is a valid span of ``text``.

    When ``span_text`` is given it must equal ``text[start:end]``: this is the
    invariant every stored and exported span keeps.
    """
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise SpanError(f"offsets must be integers, got start={start!r} end={end!r}")
    if start < 0:
        raise SpanError(f"start {start} is negative")
    if end > len(text):
        raise SpanError(f"end {end} is past the end of the text ({count(len(text), 'character')})")
    if start >= end:
        raise SpanError(f"start {start} is not before end {end}")
    if span_text is not None and text[start:end] != span_text:
        raise SpanError(
            f"span text {_preview(span_text)} does not match the article text "
            f"at [{start}, {end}): {_preview(text[start:end])}"
        )


def check_status(status: str) -> None:
    """Raise SpanError unless ``status`` is one of the review statuses."""
    if status not in STATUSES:
        raise SpanError(f"unknown status {status!r} (statuses: {', '.join(STATUSES)})")


def check_date(value: str | None, what: str = "date") -> str | None:
    """An ISO 8601 date (2025-12-18) or date and time; None or "" clears it."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            _dt.date.fromisoformat(value)
        else:
            _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(f"{what} {value!r} is not an ISO 8601 date such as 2025-12-18"
                         " (or a date and time such as 2025-12-18T09:30:00Z)") from None
    return value


def check_url(value: str | None, what: str = "url") -> str | None:
    """An absolute http(s) address; None or "" clears it."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        from urllib.parse import urlsplit  # the workspace starts without urllib

        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
            c.isspace() or ord(c) < 32 for c in value):
        raise FieldError(f"{what} {value!r} is not a web address (http:// or https:// and a host)")
    return value


def valid_date(value: object) -> str | None:
    """``value`` when it is a date ``check_date`` accepts, else None: what an exporter writes of a stored date.

    A database written by an older version, or by another program, may hold
    anything; an export must not pass "next tuesday" on as a date.
    """
    if not isinstance(value, str):
        return None
    try:
        return check_date(value)
    except FieldError:
        return None


def valid_url(value: object) -> str | None:
    """``value`` when it is an address ``check_url`` accepts, else None (never ``javascript:`` in an export)."""
    if not isinstance(value, str):
        return None
    try:
        return check_url(value)
    except FieldError:
        return None


# Scripts whose letters look alike: a word mixing two of them ("clаim", its а Cyrillic)
# looks like a word of one and is a different string (Unicode TR 39, "mixed-script confusables").
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
# Cyrillic and Greek letters drawn like Latin ones (as in TR 39's confusables), after case
# folding: "В" folds to "в" and is drawn as "B", so "в" maps to "b".
_SKELETON = str.maketrans({
    "а": "a", "в": "b", "ԁ": "d", "е": "e", "һ": "h", "н": "h", "і": "i", "ј": "j", "к": "k", "ӏ": "l",
    "м": "m", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "у": "y", "ү": "y", "х": "x", "с": "c",
    "ԝ": "w", "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j",
})


def _script(ch: str) -> str | None:
    """The look-alike script (Latin, Cyrillic, Greek) a letter belongs to, else None."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return next((s for s in _LOOKALIKE_SCRIPTS if name.startswith(s + " ")), None)


def mixed_script_word(name: str) -> str | None:
    """The first word of ``name`` that mixes Latin, Cyrillic or Greek letters, else None.

    Words are compared after NFKC, so a full-width Latin letter is Latin.
    """
    for word in re.split(r"[\W\d_]+", unicodedata.normalize("NFKC", name)):
        scripts = {s for s in map(_script, word) if s is not None}
        if len(scripts) > 1:
            return word
    return None


def skeleton(name: str) -> str:
    """What two names that look alike share: NFKC, case folded, Cyrillic and Greek look-alikes as Latin.

    "CLAIM" and "сlaim" (its с Cyrillic) share the skeleton "claim"; Latin look-alikes
    among themselves (l and I, rn and m) are not mapped.
    """
    folded = unicodedata.normalize("NFKC", " ".join(name.split())).casefold()
    return unicodedata.normalize("NFC", folded).translate(_SKELETON)


# Characters a label name may not hold: controls (NUL, escape, line breaks...),
# invisible format characters (zero-width space, bidi overrides), line and
# paragraph separators, surrogates. Each makes a name that looks like another one.
_HIDDEN_CATEGORIES = frozenset(["Cc", "Cf", "Cs", "Zl", "Zp"])


LABEL_NAME_LIMIT = 60
"""The most characters a label name has: a name is read in a menu, a table column and every "unknown label" list."""


def check_label_name(name: object) -> str:
    """The label name with surrounding whitespace removed; LabelError if empty, too long or hiding characters."""
    if not isinstance(name, str):
        raise LabelError(f"a label name is text, not {type(name).__name__}")
    name = name.strip()
    if not name:
        raise LabelError("a label needs a name")
    if (n := len(name)) > LABEL_NAME_LIMIT:
        raise LabelError(f"the label name {name[:LABEL_NAME_LIMIT - 1] + '…'!r} has {n:,} characters; a label name"
                         f" has at most {LABEL_NAME_LIMIT}")
    hidden = next((ch for ch in name if unicodedata.category(ch) in _HIDDEN_CATEGORIES), None)
    if hidden is not None:
        raise LabelError(f"the label name {name!r} holds the invisible or control character U+{ord(hidden):04X}; "
                         "it would look like another label")
    mixed = mixed_script_word(name)
    if mixed is not None:
        raise LabelError(f"the label name {name!r} mixes Latin, Cyrillic or Greek letters in {mixed!r}"
                         f" ({_scripts_of(mixed)}); it would look like another label")
    return name


def _scripts_of(word: str) -> str:
    """Which letter is of which script, for a message: "c l a: Latin; а: Cyrillic"."""
    by_script: dict[str, list[str]] = {}
    for ch in unicodedata.normalize("NFKC", word):
        script = _script(ch)
        if script is not None and ch not in by_script.setdefault(script, []):
            by_script[script].append(ch)
    return "; ".join(f"{' '.join(chars)}: {script.title()}" for script, chars in by_script.items())


def annotator_key(name: str) -> str:
    """What two annotator names must share to be one annotator: as labels, NFC and case folding ("Ana" is "ana")."""
    return label_key(" ".join(name.split()))


def check_annotator_name(name: object, what: str = "the annotator name") -> str:
    """A person's name as typed, whitespace runs made one space; FieldError if empty, hidden or mixed-script.

    The same rules as a label's name: a name holding a control character or
    mixing scripts in a word ("аna", its а Cyrillic) would pass for another person.
    """
    if not isinstance(name, str):
        raise FieldError(f"{what} is text, not {type(name).__name__}")
    name = " ".join(name.split())
    if not name:
        raise FieldError(f"{what} cannot be empty")
    hidden = next((ch for ch in name if unicodedata.category(ch) in _HIDDEN_CATEGORIES), None)
    if hidden is not None:
        raise FieldError(f"{what} {name!r} holds the invisible or control character U+{ord(hidden):04X}")
    mixed = mixed_script_word(name)
    if mixed is not None:
        raise FieldError(f"{what} {name!r} mixes Latin, Cyrillic or Greek letters in {mixed!r}"
                         f" ({_scripts_of(mixed)}); it would pass for another name")
    return name


def label_key(name: str) -> str:
    """What two label names must share to be the same label: NFC, then case folding.

    "Claim", "CLAIM" and "claim" are one label, and so are "café" typed with
    a precomposed é and with e + a combining accent. Case folding can undo
    NFC (it expands some characters), hence the second normalisation.
    """
    folded = unicodedata.normalize("NFC", name.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


def _preview(s: str, limit: int = 40) -> str:
    return repr(s if len(s) <= limit else s[: limit - 1] + "…")


@dataclass(frozen=True)
class Label:
    id: int
    name: str
    colour: str
    shortcut: str
    description: str = ""
    """The annotation guideline for this label (shown in the Guidelines panel and the label bar's tooltips)."""
    position: int = 0

    def as_values(self) -> dict[str, Any]:
        """The values label events record."""
        return {"name": self.name, "colour": self.colour, "shortcut": self.shortcut,
                "description": self.description, "position": self.position}


@dataclass(frozen=True)
class Article:
    id: int
    uid: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    sha256: str
    origin: str | None
    created_at: str
    length: int = 0

    @property
    def display_source(self) -> str:
        """The outlet if known, else where the text came from."""
        return self.source or self.origin or ""


@dataclass(frozen=True)
class Annotation:
    uid: str
    article_id: int
    start: int
    end: int
    label: str
    text: str
    annotator: str
    note: str = ""
    status: str = "pending"
    created_at: str = ""
    updated_at: str = ""
    reviewer: str | None = None
    reviewed_at: str | None = None
    review_note: str = ""
    id: int | None = None

    def as_values(self) -> dict[str, Any]:
        """The user-visible values, as recorded in events."""
        return {
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "annotator": self.annotator,
            "note": self.note,
            "status": self.status,
            "review_note": self.review_note,
        }


@dataclass(frozen=True)
class Event:
    id: int
    uid: str
    at: str
    actor: str
    action: str
    entity: str
    entity_uid: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ArticleCounts:
    """An article with how many annotations it holds per label."""

    article: Article
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


DEFAULT_LABELS: tuple[tuple[str, str, str, str], ...] = (
    # Okabe-Ito colours: told apart by readers with any common colour-vision deficiency.
    ("claim", "#E69F00", "1", "An assertion of fact that can be checked."),
    ("denial", "#56B4E9", "2", "A statement rejecting or contradicting a claim."),
    ("background", "#009E73", "3", "Context that is neither a claim nor a denial."),
)
