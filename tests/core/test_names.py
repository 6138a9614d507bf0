"""Names that look alike are one name: annotators by case, labels by script.

"Ana" and "ana" are one annotator wherever a name comes in (a span tagged, a
verdict, an import, a merge, a command's --as): the database keeps the spelling
it has. A label or a person's name mixing scripts within a word ("clаim", its
а Cyrillic) is refused, and a label that only looks like another one is too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from annotator.core import audit
from annotator.core.errors import AnnotatorError, LabelError
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.model import check_label_name
from annotator.core.profile import annotator_name, set_annotator_name
from annotator.core.store import Store

TEXT = "Kremlin denied a Bloomberg report that Erdogan asked Putin to take back the S-400s."


def test_a_name_is_spelled_as_the_database_already_spells_it(store: Store) -> None:
    article, _ = store.add_article(TEXT, title="t", actor="lead")
    first = store.add_annotation(article.id, 0, 7, "claim", annotator="ana")
    again = store.add_annotation(article.id, 0, 14, "denial", annotator="Ana ")
    reviewed = store.set_status(first.uid, "accepted", actor="ANA")
    assert (again.annotator, reviewed.reviewer) == ("ana", "ana")
    assert store.annotators() == ["ana"]
    assert store.annotator_spelling("ÀNA") == "ÀNA"            # accents are letters, not case


def test_an_import_credits_each_person_once(tmp_path: Path) -> None:
    store = Store.memory()
    article, _ = store.add_article(TEXT, title="t", actor="lead")
    store.add_annotation(article.id, 0, 7, "claim", annotator="ana")
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps({"text": "Another text, tagged twice.", "spans": [
        {"start": 0, "end": 7, "label": "claim", "annotator": "Ana"},
        {"start": 9, "end": 13, "label": "claim", "annotator": "BO"},
        {"start": 15, "end": 20, "label": "claim", "annotator": "bo", "status": "accepted", "reviewer": "ANA"}]}))
    report = Importer(store, actor="lead").run([path])
    assert sorted(store.annotators()) == ["BO", "ana"]             # the file's first spelling of a new name
    assert {a.reviewer for a in store.annotations() if a.status == "accepted"} == {"ana"}
    remarks = [str(p) for p in report.remarks]
    assert sum("'Ana' is 'ana' here" in r for r in remarks) == 1 and any("'bo' is 'BO' here" in r for r in remarks)


def test_a_merge_brings_a_colleagues_spelling_in_as_this_ones(tmp_path: Path) -> None:
    with Store.open(tmp_path / "mine.db") as mine:
        mine.add_article(TEXT, title="t", actor="lead")
    shutil.copy(tmp_path / "mine.db", tmp_path / "theirs.db")
    with Store.open(tmp_path / "mine.db") as mine:
        mine.add_annotation(1, 0, 7, "claim", annotator="ana")
    with Store.open(tmp_path / "theirs.db") as theirs:     # she typed her name otherwise on her laptop
        theirs.add_annotation(1, 0, 14, "denial", annotator="Ana")
    with Store.open(tmp_path / "mine.db") as mine:
        report = merge_database(mine, tmp_path / "theirs.db", actor="lead")
        assert mine.annotators() == ["ana"]
        assert any("annotator 'Ana' there is 'ana' here" in note for note in report.notes)
        assert audit.verify(mine).ok
        assert not merge_database(mine, tmp_path / "theirs.db", actor="lead").changed


@pytest.mark.parametrize("name", ["cl\u0430im", "\u0441laim", "Cl\u03b1im", "\uff23l\u0430im"])
def test_a_label_mixing_scripts_in_a_word_is_refused(store: Store, name: str) -> None:
    with pytest.raises(LabelError, match="mixes Latin, Cyrillic or Greek"):
        store.add_label(name, "#123456", actor="lead")
    with pytest.raises(LabelError, match="mixes Latin, Cyrillic or Greek"):
        store.edit_label("claim", new_name=name, actor="lead")


def test_a_label_that_only_looks_like_another_is_refused(store: Store) -> None:
    cyrillic = "\u0441\u0441\u043e"    # "ссо": three Cyrillic letters drawn as "cco"
    store.add_label("cco", "#123456", actor="lead")
    with pytest.raises(LabelError, match="looks like the label 'cco'"):
        store.add_label(cyrillic, "#654321", actor="lead")
    from annotator.core.model import skeleton

    store.add_label("Алиса", "#654321", actor="lead")            # Cyrillic, and like nothing here
    store.add_label("S-400 денial".replace("денial", "denial"), "#111111", actor="lead")
    assert skeleton("CLAIM") == skeleton("\u0441laim") == "claim"
    assert check_label_name("Türkiye claim") == "Türkiye claim"


def test_a_mixed_script_label_in_a_file_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps({"text": TEXT, "spans": [{"start": 0, "end": 7, "label": "cl\u0430im"},
                                                           {"start": 8, "end": 14, "label": "\u0441\u0441\u043e"},
                                                           {"start": 17, "end": 26, "label": "claim"}]}) + b"\n"
                     + orjson.dumps({"text": "A second article.", "spans": []}))
    store = Store.memory()
    store.add_label("cco", "#123456", actor="lead")
    report = Importer(store, actor="lead", create_labels=True).run([path])
    assert [p.place for p in report.rejected] == [f"{path}:1 span[0]", f"{path}:1 span[1]"]
    assert "mixes Latin, Cyrillic or Greek" in report.rejected[0].reason
    assert "looks like the label 'cco'" in report.rejected[1].reason
    assert [a.label for a in store.annotations()] == ["claim"] and report.articles_added == 2   # the rest goes on


def test_a_person_s_name_keeps_the_same_rules() -> None:
    from annotator.core.model import check_annotator_name

    with pytest.raises(AnnotatorError, match="mixes Latin, Cyrillic or Greek"):
        set_annotator_name("\u0430na")
    with pytest.raises(AnnotatorError, match="control character"):
        check_annotator_name("ana\x1b[31m")
    assert set_annotator_name("  Ana   Lima ") == "Ana Lima" and annotator_name() == "Ana Lima"
