"""The labels commands: list with use counts, add, set, delete, guidelines; errors in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import audit
from annotator.core.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "labels.db"
    with Store.open(path) as store:
        article, _ = store.add_article("Kremlin denied the report.", title="denial", actor="ana")
        store.add_annotation(article.id, 0, 14, "denial", annotator="ana")
    return path


def test_add_set_delete_and_list(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, "labels", "add", "--db", str(db), "rumour", "--colour", "#cc79a7", "--key", "4",
               "--description", "Hearsay", "--as", "rita") == (0, "", "label rumour added\n")
    assert run(capsys, "labels", "set", "--db", str(db), "RUMOUR", "--name", "Gerücht", "--key", "") == (
        0, "", "label rumour: renamed to Gerücht, key none\n")
    code, out, _ = run(capsys, "labels", "--db", str(db))
    assert code == 0 and out.splitlines() == [
        " 1  claim          #E69F00       0 spans  An assertion of fact that can be checked.",
        " 2  denial         #56B4E9       1 span   A statement rejecting or contradicting a claim.",
        " 3  background     #009E73       0 spans  Context that is neither a claim nor a denial.",
        " -  Gerücht        #CC79A7       0 spans  Hearsay"]
    assert run(capsys, "labels", "delete", "--db", str(db), "gerücht") == (0, "", "label Gerücht deleted\n")
    with Store.open(db) as store:
        assert [e.actor for e in store.events(entity="label")][0] == "rita"
        assert not store.has_label("Gerücht") and audit.verify(store).ok


@pytest.mark.parametrize(("args", "message"), [
    (("add", "claim", "--colour", "#000000"), "a label called 'claim' exists already"),
    (("add", "quote", "--colour", "pink"), "is not #RRGGBB"),
    (("set", "claim", "--key", "A"), "the key 'A' is taken by the workspace itself"),
    (("set", "claim", "--key", "2"), "the key '2' is taken by the label 'denial'"),
    (("delete", "denial"), "the label 'denial' is used by 1 span"),
    (("set", "nothing", "--colour", "#000000"), "unknown label 'nothing'"),
])
def test_refusals_are_one_line(capsys: pytest.CaptureFixture[str], db: Path, args: tuple[str, ...],
                               message: str) -> None:
    code, out, err = run(capsys, "labels", args[0], "--db", str(db), *args[1:])
    assert code == 1 and out == ""
    assert err.startswith("annotator: error: ") and message in err and err.count("\n") == 1


def test_guidelines_from_a_file_printed_and_cleared(capsys: pytest.CaptureFixture[str], db: Path,
                                                    tmp_path: Path) -> None:
    assert run(capsys, "labels", "guidelines", "--db", str(db))[2].startswith("annotator: no guidelines yet")
    source = tmp_path / "rules.md"
    source.write_text("# Rules\n\n- Tag whole clauses.\n", encoding="utf-8")
    assert run(capsys, "labels", "guidelines", "--db", str(db), "--from", str(source)) == (
        0, "", "guidelines set (29 characters)\n")
    assert run(capsys, "labels", "guidelines", "--db", str(db)) == (0, "# Rules\n\n- Tag whole clauses.\n", "")
    assert run(capsys, "labels", "guidelines", "--db", str(db), "--clear")[2] == "guidelines cleared\n"
    with Store.open(db) as store:
        assert store.guidelines() == "" and audit.verify(store).ok


@pytest.mark.parametrize(("name", "content", "message"), [
    ("/dev/zero", None, "/dev/zero: not a regular file (a FIFO, socket or device)"),
    ("huge.md", b"x" * (256 * 1024 + 1), "huge.md: too large (256.0 KB; the limit is 256.0 KB, guidelines are a few"
                                         " pages of Markdown)"),
    ("bomb.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x91", "bomb.zip: binary data (it contains NUL bytes),"
                                                               " not text"),
    ("mixed.md", "Règles é ".encode() + b"\xe9", "mixed.md: UTF-8 but for 1 byte (0xE9 at line 1, column 10)"),
    ("escape.md", b"# Rules\nline two \x1b[2J\n", "escape.md: the text holds the control character U+001B (line 2,"
                                                    " column 10)"),
    ("missing.md", None, "missing.md: no such file"),
], ids=["device", "too-large", "binary", "stray-byte", "control", "missing"])
def test_a_guidelines_file_is_read_by_the_import_rules(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path,
                                                       name: str, content: bytes | None, message: str) -> None:
    """/dev/zero was read without bound (23 GB, until the OOM killer); 60 MB were taken; a zip crashed."""
    source = Path(name) if name.startswith("/") else tmp_path / name
    if content is not None:
        source.write_bytes(content)
    code, out, err = run(capsys, "labels", "guidelines", "--db", str(db), "--from", str(source))
    shown = message if name.startswith("/") else f"{tmp_path}/{message}"
    assert (code, out) == (1, "") and err.startswith(f"annotator: error: {shown}") and err.count("\n") == 1
    with Store.open(db) as store:
        assert store.guidelines() == ""


def test_a_guidelines_file_in_a_legacy_encoding_is_read_and_said(capsys: pytest.CaptureFixture[str], db: Path,
                                                                 tmp_path: Path) -> None:
    source = tmp_path / "rules.md"
    source.write_bytes("Règles: déjà vu, naïve.".encode("cp1252"))
    assert run(capsys, "labels", "guidelines", "--db", str(db), "--from", str(source)) == (
        0, "", f"annotator: note: {source}: not UTF-8; decoded as cp1252 (a guess)\nguidelines set (23 characters)\n")
    with Store.open(db) as store:
        assert store.guidelines() == "Règles: déjà vu, naïve."


def test_guidelines_from_standard_input_are_bounded(capsys: pytest.CaptureFixture[str], db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\0" * (1 << 20))))
    code, _out, err = run(capsys, "labels", "guidelines", "--db", str(db), "--from", "-")
    assert code == 1 and err == ("annotator: error: standard input: more than the limit of 256.0 KB (guidelines are"
                                 " a few pages of Markdown)\n")


def test_a_name_starting_with_a_dash_is_shown_the_way(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _out, err = run(capsys, "labels", "add", "--db", str(db), "-x", "--colour", "#000000")
    assert code == 2 and err == ("annotator: error: No such option '-x'. A name or value that starts with '-' goes"
                                 " after '--', the options before it: annotator labels add [OPTIONS] -- -x"
                                 " (see 'annotator labels add --help')\n")
    assert run(capsys, "labels", "add", "--db", str(db), "--colour", "#000000", "--", "-x") == (
        0, "", "label -x added\n")


def test_a_long_label_name_is_refused_before_it_lists_everywhere(capsys: pytest.CaptureFixture[str],
                                                                 db: Path) -> None:
    code, _out, err = run(capsys, "labels", "add", "--db", str(db), "x" * 500, "--colour", "#000000")
    assert code == 1 and err == (f"annotator: error: the label name '{'x' * 59}…' has 500 characters; a label name"
                                 " has at most 60\n")
