"""Uids are data, never paths: what a valid uid is, what import does with others, where exports write."""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from annotator.core import exporter, formats
from annotator.core.atomic import MANIFEST
from annotator.core.errors import UidError
from annotator.core.importer import Importer
from annotator.core.model import check_uid, is_safe_uid, uid_problem
from annotator.core.store import Store

VALID = ["0b8a7c4e-1f2d-4e5a-9b6c-7d8e9f0a1b2c", "art-1", "A.b_c-9", "x" * 128, "con1", "nullable", "0"]
INVALID = ["", ".", "..", "../../x", "a/b", "a\\b", "/etc/passwd", "C:x", ".hidden", "-rf", "=SUM(A1)", "@x",
           "x" * 129, "trailing.", "con", "NUL.txt", "com1", "lpt9.ann", "a b", "caf\u00e9", "a\x00", "a\n", "tab\t",
           "\u202eabc"]


@pytest.mark.parametrize("uid", VALID)
def test_valid_uids(uid: str) -> None:
    assert is_safe_uid(uid) and uid_problem(uid) is None and check_uid(uid) == uid


@pytest.mark.parametrize("uid", INVALID)
def test_invalid_uids_say_why(uid: str) -> None:
    assert not is_safe_uid(uid)
    with pytest.raises(UidError, match="is not a valid uid: "):
        check_uid(uid)


def test_every_uuid_is_valid() -> None:
    assert all(is_safe_uid(str(uuid.uuid4())) for _ in range(200))


def test_non_text_is_not_a_uid() -> None:
    assert not is_safe_uid(5) and not is_safe_uid(None) and "not int" in (uid_problem(5) or "")


# ------------------------------------------------------------------- import

def test_import_gives_unsafe_uids_fresh_ones_and_says_where(store: Store, tmp_path: Path) -> None:
    text = "Kremlin denied the report."
    good_span = "11111111-2222-4333-8444-555555555555"
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"uid": "../../evil", "text": text, "spans": [
        {"uid": "/etc/passwd", "start": 0, "end": 7, "label": "claim"},
        {"uid": good_span, "start": 8, "end": 14, "label": "denial"},
    ]}) + "\n" + json.dumps({"uid": "art-2", "text": "Another text."}) + "\n", encoding="utf-8")
    report = Importer(store, actor="ana").run([path])
    assert report.ok and report.articles_added == 2 and report.spans_added == 2
    remarks = {(p.place, p.reason.split(" (")[0]) for p in report.remarks}
    assert remarks == {
        (f"{path}:1", "the article uid '../../evil' is not a valid uid"),
        (f"{path}:1 span[0]", "the span uid '/etc/passwd' is not a valid uid"),
    }
    uids = [a.uid for a in store.articles()]
    assert "art-2" in uids and "../../evil" not in uids and all(is_safe_uid(u) for u in uids)
    first = next(a for a in store.articles() if a.uid != "art-2")
    spans = {a.text: a.uid for a in store.annotations_for(first.id)}
    assert spans["denied"] == good_span and is_safe_uid(spans["Kremlin"]) and spans["Kremlin"] != "/etc/passwd"
    # Dropping the uid keeps import idempotent: the span is found again by its offsets, label and annotator.
    again = Importer(store, actor="ana").run([path])
    assert again.spans_added == 0 and again.articles_added == 0


# ------------------------------------------------------------------- export

HOSTILE = ["../../escaped", "../../../escaped-far", "sub/dir/nested", "..", ".", "con", "Case", "case",
           "article-2", "=cmd|' /C calc'!A0", "a\x00b", "\\..\\win"]


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> Store:
    """Articles whose uids came in unchecked (an older version, a hand-edited database)."""
    uids = [*HOSTILE, str(tmp_path / "absolute")]
    for i, uid in enumerate(uids):
        a, _ = store.add_article(f"Article number {i} says something.", title=f"t{i}", actor="ana", uid=uid)
        # A uid the store took as given: the exporter must cope with whatever the database holds.
        assert a.uid == uid
        store.add_annotation(a.id, 0, 7, "claim", annotator="ana")
    return store


def _files_under(root: Path) -> set[Path]:
    found = set()
    for folder, dirs, files in os.walk(root):
        found.update(Path(folder) / name for name in files + dirs)
    return found


def _targets() -> list[tuple[str, str]]:
    out = []
    for fmt in formats.export_formats():
        if not fmt.available:
            continue
        if fmt.write is not None:
            out.append((fmt.name, "data" + fmt.suffix))
        if fmt.write_path is not None:
            out.append((fmt.name, "data" if fmt.name == "brat" else "data" + fmt.suffix))
    return out


@pytest.mark.parametrize(("format_name", "name"), _targets())
def test_every_written_path_stays_under_the_output_folder(hostile: Store, tmp_path: Path, format_name: str,
                                                          name: str) -> None:
    out = tmp_path / "out" / "inner"
    out.mkdir(parents=True)
    before = _files_under(tmp_path)
    exporter.export(hostile, format_name, out / name)
    created = _files_under(tmp_path) - before
    assert created and all(out in path.parents for path in created), sorted(map(str, created))
    if name.endswith(".zip"):
        with zipfile.ZipFile(out / name) as zf:
            names = zf.namelist()
        assert len(names) == 2 * len(HOSTILE) + 2 + 1  # every article twice, and annotation.conf
        for member in names:
            assert "/" not in member and "\\" not in member and ":" not in member, member
            assert PurePosixPath(member).name == member and not member.startswith("."), member
    if format_name == "brat" and not name.endswith(".zip"):
        # Unsafe uids and a uid equal to another's but for case became article-ID.
        stems = {p.stem for p in (out / name).iterdir() if p.name != MANIFEST}
        assert len(stems) == len(HOSTILE) + 2
        assert len({s.casefold() for s in stems}) == len(stems)
        assert all(is_safe_uid(s) for s in stems)
