"""The native JSONL's guidelines line: the label set and the project's guidelines, written and taken in.

The line comes first in the file, before the articles, so that an import knows
the labels before it meets a span that uses one::

    {"guidelines": {"text": "# How we tag\\n...", "labels": [
        {"name": "claim", "colour": "#E69F00", "shortcut": "1", "description": "An assertion..."}, ...]}}

It is written only when there is something to carry: guidelines, or labels
other than the default three as a new database has them (so files of projects
that never touched their labels are what they were before this line existed).

Taken in by an import (docs/formats.md):

- into a database that holds no article yet, the file's
  label set becomes the database's (labels created, edited, reordered, and
  those the file lacks deleted: none is used yet), and its guidelines are taken;
- into any other database, labels it lacks are created, labels it has keep
  their colour, key and description here (each difference is a remark), and
  the guidelines are taken only if the database has none (else a remark).

Every change is an event of the import's actor. A key that is refused here
(taken by the workspace, or by another label) is dropped, with a remark.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import incoming
from .errors import LabelError
from .formats.base import Problem
from .incoming import checked
from .labels import EXTRA_COLOURS, LabelChange, check_description, shortcut_key
from .model import DEFAULT_LABELS, Label, check_label_name, label_key

if TYPE_CHECKING:
    from .store import Store


def guidelines_line(store: Store) -> dict[str, Any] | None:
    """The line to write first, or None when the labels are the defaults and there are no guidelines."""
    labels = store.labels()
    text = store.guidelines()
    values = [{"name": label.name, "colour": label.colour, "shortcut": label.shortcut,
               "description": label.description} for label in labels]
    defaults = [{"name": name, "colour": colour, "shortcut": key, "description": description}
                for name, colour, key, description in DEFAULT_LABELS]
    if not text and values == defaults:
        return None
    return {"guidelines": {"text": text, "labels": values}}


@dataclass
class TakenLabels:
    """What taking a guidelines line did."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    guidelines: bool = False
    problems: list[Problem] = field(default_factory=list)


def take_guidelines(store: Store, values: dict[str, Any], place: str, *, replace_all: bool,
                    actor: str) -> TakenLabels:
    """Take a guidelines line into the store (``replace_all``: the database holds no article yet)."""
    taken = TakenLabels()
    declared = _declared(values, place, taken)
    text = values.get("text")
    if text is not None and not isinstance(text, str):
        taken.problems.append(Problem(place, "'text' of the guidelines is not a string; the guidelines were not"
                                             " taken"))
        text = None
    change = (_replacing(store, declared, place, taken) if replace_all
              else _adding(store, declared, place, taken))
    if text is not None:
        try:
            text = check_description(text)
        except LabelError as exc:
            taken.problems.append(Problem(place, f"the guidelines were not taken: {exc}"))
            text = None
    here = store.guidelines()
    if text is not None and text != here:
        if replace_all or not here:
            change = replace(change, guidelines=(here, text))
            taken.guidelines = True
        else:
            taken.problems.append(Problem(place, "the file's guidelines differ from this database's; this"
                                                 " database's are kept", rejected=False))
    try:
        store.apply_label_change(change, actor=actor, action="edit", create="create")
    except LabelError as exc:   # a label the file lacks is used by a span an earlier file brought
        return TakenLabels(problems=[*taken.problems, Problem(place, f"the file's labels were not taken: {exc}")])
    return taken


def _declared(values: dict[str, Any], place: str, taken: TakenLabels) -> list[Label]:
    """The file's labels that keep the rules, in its order (``position``); each one refused is a problem."""
    entries = values.get("labels") or []
    if not isinstance(entries, list):
        taken.problems.append(Problem(place, "'labels' of the guidelines is not a list; no label was taken"))
        return []
    declared: list[Label] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"{place} labels[{i}]"
        if not isinstance(entry, dict):
            taken.problems.append(Problem(where, "a label must be a JSON object"))
            continue
        try:
            name = check_label_name(entry.get("name"))
            if label_key(name) in seen:
                raise LabelError(f"the label {name!r} is in the file twice")
        except LabelError as exc:
            taken.problems.append(Problem(where, str(exc)))
            continue
        seen.add(label_key(name))
        # The name is the label; a colour, key or description the labels dialog would refuse is dropped.
        fallback = EXTRA_COLOURS[len(declared) % len(EXTRA_COLOURS)]
        fields = checked({k: entry.get(k) for k in incoming.LABEL}, incoming.LABEL, {
            "colour": (fallback, f"the label is coloured {fallback}"), "shortcut": ("", "the label has no key"),
            "description": ("", "the label has no description")})
        taken.problems += [Problem(where, why, rejected=False) for why in fields.dropped]
        colour = fields.values["colour"] or fallback
        declared.append(Label(0, name, colour, fields.values["shortcut"] or "", fields.values["description"] or "",
                              len(declared)))
    return declared


def _without_taken_keys(labels: list[Label], keep: list[Label], place: str, taken: TakenLabels) -> list[Label]:
    """``labels`` with each key another label (of ``keep`` or an earlier one) already has dropped, remarked."""
    used = {shortcut_key(label.shortcut) for label in keep if label.shortcut}
    out = []
    for label in labels:
        if label.shortcut and shortcut_key(label.shortcut) in used:
            taken.problems.append(Problem(place, f"label {label.name!r}: its key {label.shortcut!r} is taken here;"
                                                 " it has none", rejected=False))
            label = replace(label, shortcut="")
        used.add(shortcut_key(label.shortcut))
        out.append(label)
    return out


def _replacing(store: Store, declared: list[Label], place: str, taken: TakenLabels) -> LabelChange:
    """The change that makes the database's label set the file's."""
    if not declared:
        return LabelChange()
    declared = _without_taken_keys(declared, [], place, taken)
    here = {label_key(label.name): label for label in store.labels()}
    wanted = {label_key(label.name) for label in declared}
    removed = tuple(label for key, label in here.items() if key not in wanted)
    edited = []
    added = []
    for label in declared:
        mine = here.get(label_key(label.name))
        if mine is None:
            added.append(label)
        elif replace(label, id=mine.id) != mine:
            edited.append((mine, replace(label, id=mine.id)))
    taken.created += [label.name for label in added]
    taken.changed += [after.name for _before, after in edited]
    taken.deleted += [label.name for label in removed]
    return LabelChange(labels_added=tuple(added), labels_removed=removed, labels_edited=tuple(edited))


def _adding(store: Store, declared: list[Label], place: str, taken: TakenLabels) -> LabelChange:
    """The change that adds the labels the database lacks; each difference in those it has is a remark."""
    labels = store.labels()
    added = []
    position = max((label.position for label in labels), default=-1) + 1
    for label in declared:
        if not store.has_label(label.name):
            added.append(replace(label, position=position))
            position += 1
            continue
        mine = store.label(label.name)
        for what, theirs, ours in (("colour", label.colour, mine.colour), ("key", label.shortcut, mine.shortcut),
                                   ("description", label.description, mine.description)):
            if theirs != ours:
                taken.problems.append(Problem(place, f"label {mine.name!r}: its {what} in the file is {theirs!r};"
                                                     f" {ours!r} is kept here", rejected=False))
    added = _without_taken_keys(added, labels, place, taken)
    taken.created += [label.name for label in added]
    return LabelChange(labels_added=tuple(added))


__all__ = ["TakenLabels", "guidelines_line", "take_guidelines"]
