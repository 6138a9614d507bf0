"""Values from outside (a file imported, a colleague's database merged) kept to the app's own rules.

What a person types into the article details dialog, ``annotator article set``
or ``claims set`` goes through ``model.check_url``, ``model.check_date`` and the
others; the same value arriving by import or merge goes through the same
functions here. A value that breaks its rule is dropped, never the record that
carries it: an article keeps its text and spans without a ``javascript:``
address, a claim keeps its summary and verdict without "next tuesday" as its
date. Each drop is said, with the value and the rule it broke, so that the
source can be fixed; the caller adds the place (``file:line``, the merged file).

A dropped value becomes what the app itself would have: nothing for an
address or a date, the time of the import for a creation time, the importer
for a name that passes for no one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import AnnotatorError
from .formats.base import text_value
from .labels import check_colour, check_description, check_shortcut
from .model import check_annotator_name, check_date, check_url

Check = Callable[[Any], Any]
"""Returns the value as the app keeps it (trimmed, folded...), or raises AnnotatorError saying why not."""


def _url(what: str) -> Check:
    return lambda value: check_url(text_value(value, what), what)


def _date(what: str) -> Check:
    return lambda value: check_date(text_value(value, what), what)


@functools.lru_cache(maxsize=4096)
def _known_name(value: str, what: str) -> str:
    # A file names a few people thousands of times: each name is checked once.
    return check_annotator_name(value, what)


def _name(what: str) -> Check:
    return lambda value: _known_name(value, what) if isinstance(value, str) else check_annotator_name(value, what)


def _words(what: str) -> Check:
    """Free text on one line, as the claim dialog keeps a claimant."""
    return lambda value: " ".join(text_value(value, what).split())


def _text(what: str) -> Check:
    """Free text of any length (an explanation, a reason), trimmed as the dialogs trim it."""
    return lambda value: text_value(value, what).strip()


ARTICLE: dict[str, Check] = {"url": _url("the url"), "published": _date("the published date")}
"""An article's details, as ``Store.edit_article`` checks them."""

CLAIM: dict[str, Check] = {
    "claimant": _words("the claimant"), "claim_date": _date("the claim date"),
    "review_url": _url("the fact-check url"), "explanation": _text("the explanation"),
    "reviewed_by": _name("the name of who gave the verdict"), "reviewed_at": _date("the verdict's time"),
    "created_by": _name("the name of who made the claim"), "created_at": _date("the claim's creation time"),
    "updated_at": _date("the claim's last change"),
}
"""A claim's fields besides its uid, summary and verdict, as ``Store.edit_claim`` and ``set_verdict`` check them."""

SPAN: dict[str, Check] = {
    "annotator": _name("the annotator's name"), "created_at": _date("the span's creation time"),
    "updated_at": _date("the span's last change"), "reviewer": _name("the reviewer's name"),
    "reviewed_at": _date("the review's time"), "review_note": _text("the review's reason"),
}

LINK: dict[str, Check] = {"created_by": _name("the name of who made the link"),
                          "created_at": _date("the link's creation time")}

LABEL: dict[str, Check] = {"colour": check_colour, "shortcut": check_shortcut, "description": check_description}
"""A label's colour, key and description, as the labels dialog and ``annotator labels`` check them."""

SETTING: dict[str, Check] = {"organisation_url": _url("the organisation_url"), "review_url": _url("the review_url")}


@dataclass
class Checked:
    """Values after their checks, and what was dropped (each said as the rule it broke)."""

    values: dict[str, Any]
    dropped: list[str] = field(default_factory=list)


def checked(values: Mapping[str, Any], checks: Mapping[str, Check],
            instead: Mapping[str, tuple[Any, str]] | None = None) -> Checked:
    """``values`` with each field named in ``checks`` kept to its rule; None and "" are left as they are.

    A value that breaks its rule becomes ``instead[field]``'s value (None
    when not named) and is said as "<why>; <what it became>" (default: "dropped").
    """
    instead = instead or {}
    out = Checked(dict(values))
    for name, check in checks.items():
        value = out.values.get(name)
        if value is None or value == "":
            continue
        try:
            out.values[name] = check(value)
        except AnnotatorError as exc:
            replacement, words = instead.get(name, (None, "dropped"))
            out.values[name] = replacement
            out.dropped.append(f"{exc}; {words}")
    return out


__all__ = ["ARTICLE", "CLAIM", "LABEL", "LINK", "SETTING", "SPAN", "Check", "Checked", "checked"]
