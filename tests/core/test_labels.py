"""Label names: no hidden characters, and one label however its name is typed (NFC, case folding)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from annotator.core.errors import LabelError
from annotator.core.importer import Importer
from annotator.core.model import check_label_name, label_key
from annotator.core.store import Store

NFC_CAFE = unicodedata.normalize("NFC", "café")
NFD_CAFE = unicodedata.normalize("NFD", "café")


@pytest.mark.parametrize("name", ["claim\u0000", "claim\x1b[2J", "cla\u200bim", "claim\u202e", "a\tb", "a\u2028b",
                                  "\u2066claim\u2069", "claim\ud800"])
def test_names_with_hidden_characters_are_refused(store: Store, name: str) -> None:
    with pytest.raises(LabelError, match="invisible or control character U\\+"):
        check_label_name(name)
    with pytest.raises(LabelError):
        store.add_label(name, "#000000", actor="ana")
    assert len(store.labels()) == 3


def test_names_match_after_nfc_and_case_folding(store: Store) -> None:
    assert NFC_CAFE != NFD_CAFE and label_key(NFC_CAFE) == label_key(NFD_CAFE.upper())
    assert label_key("STRASSE") == label_key("straße") and label_key(" Claim ") == "claim"
    store.add_label(NFC_CAFE, "#000000", actor="ana")
    assert store.has_label(NFD_CAFE) and store.label(NFD_CAFE.upper()).name == NFC_CAFE
    with pytest.raises(LabelError, match="exists already"):
        store.add_label(NFD_CAFE, "#111111", actor="ana")
    assert [label.name for label in store.labels()].count(NFC_CAFE) == 1


def test_import_refuses_a_label_with_a_control_character(store: Store, tmp_path: Path) -> None:
    text = "Kremlin denied the report."
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": text, "spans": [
        {"start": 0, "end": 7, "label": "claim\u0000"},
        {"start": 8, "end": 14, "label": "CLAIM"},
        {"start": 15, "end": 18, "label": NFD_CAFE},
        {"start": 19, "end": 25, "label": NFC_CAFE.upper()},
    ]}) + "\n", encoding="utf-8")
    report = Importer(store, actor="ana", create_labels=True).run([path])
    assert [(p.place, "U+0000" in p.reason) for p in report.rejected] == [(f"{path}:1 span[0]", True)]
    assert report.labels_created == [NFD_CAFE]  # one new label, however its name was typed
    assert sorted(a.label for a in store.annotations_for(1)) == sorted(["claim", NFD_CAFE, NFD_CAFE])
    assert not any("\u0000" in label.name for label in store.labels())
