"""The native JSONL's guidelines line: written when there is something to carry, restored into an empty database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import audit, formats
from annotator.core.exporter import export
from annotator.core.importer import Importer
from annotator.core.model import mixed_script_word
from annotator.core.store import Store

TEXT = "Kremlin denied the report that Türkiye asked Russia to take back the S-400s."


def exported(store: Store) -> bytes:
    out = io.BytesIO()
    export(store, "jsonl", out)
    return out.getvalue()


def imported(store: Store, data: bytes, tmp_path: Path, name: str = "data.jsonl", **options):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    return Importer(store, actor="importer", **options).run([path])


@pytest.fixture
def project(store: Store) -> Store:
    """A project that renamed, recoloured, described and added labels, dropped a key and wrote guidelines."""
    article, _ = store.add_article(TEXT, title="denial", actor="ana")
    store.edit_label("claim", new_name="assertion", colour="#123456", description="Checkable.\nWhole clauses.",
                     actor="ana")
    store.edit_label("denial", shortcut="", actor="ana")
    store.create_label("quote", "#CC79A7", "4", "Words in quotation marks.", actor="ana")
    store.add_annotation(article.id, 0, 14, "quote", annotator="ana")
    store.add_annotation(article.id, 15, 25, "assertion", annotator="ana")
    store.set_guidelines("# How we tag\n\n- a *claim* is checkable\n- Türkiye, not Turkey 🇹🇷", actor="ana")
    return store


def test_no_line_for_the_default_labels_without_guidelines(store: Store) -> None:
    store.add_article(TEXT, title="denial", actor="ana")
    lines = exported(store).splitlines()
    assert len(lines) == 1 and "text" in json.loads(lines[0])


def test_the_line_comes_first_and_is_not_an_article(project: Store) -> None:
    out = io.BytesIO()
    result = export(project, "jsonl", out)
    first, *rest = out.getvalue().splitlines()
    assert json.loads(first) == {"guidelines": {
        "text": "# How we tag\n\n- a *claim* is checkable\n- Türkiye, not Turkey 🇹🇷",
        "labels": [
            {"name": "assertion", "colour": "#123456", "shortcut": "1", "description": "Checkable.\nWhole clauses."},
            {"name": "denial", "colour": "#56B4E9", "shortcut": "",
             "description": "A statement rejecting or contradicting a claim."},
            {"name": "background", "colour": "#009E73", "shortcut": "3",
             "description": "Context that is neither a claim nor a denial."},
            {"name": "quote", "colour": "#CC79A7", "shortcut": "4", "description": "Words in quotation marks."},
        ]}}
    assert len(rest) == 1 and result.articles == 1


def test_export_import_into_an_empty_database_export_gives_the_same_file(project: Store, tmp_path: Path) -> None:
    data = exported(project)
    empty = Store.memory()
    report = imported(empty, data, tmp_path)
    assert formats.for_path(tmp_path / "data.jsonl").name == "jsonl"   # not doccano, whose lines have labels
    assert report.ok and report.guidelines_taken, report.problems
    assert exported(empty) == data
    assert [(label.name, label.shortcut) for label in empty.labels()] == [
        ("assertion", "1"), ("denial", ""), ("background", "3"), ("quote", "4")]
    assert empty.guidelines() == project.guidelines()
    assert audit.verify(empty).ok
    assert {e.actor for e in empty.events(entity="label")} == {"importer"}


def test_the_line_makes_its_labels_known_without_create_labels(project: Store, tmp_path: Path) -> None:
    report = imported(Store.memory(), exported(project), tmp_path)
    assert report.spans_added == 2 and not report.rejected


def test_into_a_database_with_articles_labels_are_added_and_differences_remarked(
        project: Store, tmp_path: Path) -> None:
    here = Store.memory()
    here.add_article("Another article.", title="other", actor="bo")
    here.set_guidelines("Our own rules.", actor="bo")
    report = imported(here, exported(project), tmp_path)
    assert report.labels_created == ["assertion", "quote"] and not report.guidelines_taken
    assert [label.name for label in here.labels()] == ["claim", "denial", "background", "assertion", "quote"]
    assert here.label("assertion").shortcut == ""   # key 1 is claim's here
    assert here.label("denial").shortcut == "2" and here.guidelines() == "Our own rules."
    remarks = [str(p) for p in report.remarks]
    assert any("label 'denial': its key in the file is ''; '2' is kept here" in r for r in remarks)
    assert any("label 'assertion': its key '1' is taken here; it has none" in r for r in remarks)
    assert any("the file's guidelines differ from this database's" in r for r in remarks)
    assert report.ok and audit.verify(here).ok


def test_guidelines_are_taken_by_a_database_that_has_none(project: Store, tmp_path: Path) -> None:
    here = Store.memory()
    here.add_article("Another article.", title="other", actor="bo")
    report = imported(here, exported(project), tmp_path)
    assert report.guidelines_taken and here.guidelines() == project.guidelines()
    assert "the file's guidelines taken" in report.summary()


def test_bad_labels_in_the_line_are_reported_with_their_place(tmp_path: Path) -> None:
    line = {"guidelines": {"text": "Rules.", "labels": [
        {"name": "quote", "colour": "pink", "shortcut": "4"},
        {"name": "rumour", "colour": "#D55E00", "shortcut": "E"},
        {"name": "cla\u200bim", "colour": "#D55E00"},
        "nonsense",
    ]}}
    store = Store.memory()
    report = imported(store, json.dumps(line).encode() + b"\n", tmp_path, "g.jsonl")
    place = f"{tmp_path / 'g.jsonl'}:1"
    assert [(p.place, p.rejected) for p in report.problems] == [
        (f"{place} labels[0]", False), (f"{place} labels[1]", False), (f"{place} labels[2]", True),
        (f"{place} labels[3]", True)]
    assert "#RRGGBB" in report.problems[0].reason and "taken by the workspace" in report.problems[1].reason
    # Into an empty database the file's set replaces the defaults. A label is its name: quote keeps its key and
    # gets a colour of the palette for its bad one; rumour loses the workspace's key; a hidden character refuses one.
    assert [(label.name, label.colour, label.shortcut) for label in store.labels()] == [
        ("quote", "#CC79A7", "4"), ("rumour", "#D55E00", "")]
    assert store.guidelines() == "Rules." and audit.verify(store).ok


_NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1,
                 max_size=12).filter(lambda s: s.strip() and mixed_script_word(s) is None)
_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=60).map(
    lambda s: "".join(c for c in s if c in "\n\t" or not (ord(c) < 32 or 127 <= ord(c) < 160)).strip())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAMES, min_size=1, max_size=4, unique_by=lambda s: s.strip().casefold()),
       text=_TEXT, description=_TEXT)
def test_any_label_set_round_trips(tmp_path: Path, names: list[str], text: str, description: str) -> None:
    from annotator.core.model import label_key, skeleton

    if len({label_key(n) for n in names}) < len(names) or len({skeleton(n) for n in names}) < len(names):
        return
    store = Store.memory()
    for i, name in enumerate(names):
        if store.has_label(name):
            store.edit_label(name, new_name=name, description=description, actor="ana")
        else:
            store.create_label(name, f"#{i:06d}", str(5 + i), description, actor="ana")
    store.set_guidelines(text, actor="ana")
    data = exported(store)
    again = Store.memory()
    imported(again, data, tmp_path, "r.jsonl")
    assert exported(again) == data
    assert audit.verify(again).ok


def test_a_description_that_differs_is_remarked_and_new_labels_are_created_by_the_import(
        store: Store, tmp_path: Path) -> None:
    store.add_article(TEXT, title="denial", actor="ana")
    store.edit_label("claim", description="Checkable.", actor="ana")
    store.create_label("quote", "#CC79A7", "4", "", actor="ana")
    here = Store.memory()
    here.add_article("Another article.", title="other", actor="bo")
    report = imported(here, exported(store), tmp_path)
    assert [(p.reason, p.rejected) for p in report.remarks] == [
        ("label 'claim': its description in the file is 'Checkable.'; 'An assertion of fact"
         " that can be checked.' is kept here", False)]
    assert [(e.action, e.entity_uid, e.actor) for e in here.events(entity="label")] == [
        ("create", "quote", "importer")]

