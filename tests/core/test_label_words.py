"""How a label change reads in the undo menu, and the label name's refusals, word for word."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.errors import LabelError
from annotator.core.labels import LabelChange
from annotator.core.model import Label, check_label_name

CLAIM = Label(1, "claim", "#E69F00", "1", "A claim.", 0)
DENIAL = Label(2, "denial", "#56B4E9", "2", "", 1)


@pytest.mark.parametrize(("change", "words"), [
    (LabelChange(guidelines=("old", "new")), "Edit the guidelines"),
    (LabelChange(labels_added=(CLAIM,)), "Add label claim"),
    (LabelChange(labels_removed=(DENIAL,)), "Delete label denial"),
    (LabelChange(labels_edited=((CLAIM, replace(CLAIM, name="assertion")),)), "Label claim: rename to assertion"),
    (LabelChange(labels_edited=((CLAIM, replace(CLAIM, colour="#000000", shortcut="7", description="",
                                                 position=3)),)), "Label claim: recolour, re-key, describe, move"),
    (LabelChange(labels_added=(CLAIM,), guidelines=("a", "b")), "Add label claim"),
    (LabelChange(labels_edited=((CLAIM, replace(CLAIM, colour="#000000")),), guidelines=("a", "b")),
     "Label claim: recolour"),
    (LabelChange(labels_added=(CLAIM, DENIAL)), "Change the labels"),
    (LabelChange(labels_added=(CLAIM,), labels_removed=(DENIAL,)), "Change the labels"),
    (LabelChange(labels_removed=(DENIAL,), labels_edited=((CLAIM, CLAIM),)), "Change the labels"),
    (LabelChange(labels_removed=(CLAIM, DENIAL)), "Change the labels"),
    (LabelChange(labels_edited=((CLAIM, CLAIM),), labels_added=(DENIAL,)), "Change the labels"),
    (LabelChange(labels_edited=((CLAIM, CLAIM), (DENIAL, DENIAL))), "Change the labels"),
    (LabelChange(labels_edited=((CLAIM, CLAIM),), labels_removed=(DENIAL,), guidelines=("a", "b")),
     "Change the labels"),
], ids=["guidelines", "add", "delete", "rename", "edit-all", "add-and-guidelines", "guidelines-and-edit", "add-two",
        "add-delete",
        "delete-edit", "delete-two", "edit-add", "edit-two", "everything"])
def test_a_label_change_in_words(change: LabelChange, words: str) -> None:
    assert change.describe() == words


@pytest.mark.parametrize(("name", "message"), [
    ("  ", "a label needs a name"),
    (7, "a label name is text, not int"),
    ("claim\u200b", "the label name 'claim\\u200b' holds the invisible or control character U+200B; it would look"
                    " like another label"),
    ("x" * 61, f"the label name '{'x' * 59}…' has 61 characters; a label name has at most 60"),
], ids=["blank", "not-text", "invisible", "too-long"])
def test_label_names_refused_in_words(name: object, message: str) -> None:
    with pytest.raises(LabelError) as refused:
        check_label_name(name)
    assert str(refused.value) == message
    assert check_label_name("  claim ") == "claim"


def test_a_label_name_of_sixty_characters_is_a_name() -> None:
    assert check_label_name("y" * 60) == "y" * 60
