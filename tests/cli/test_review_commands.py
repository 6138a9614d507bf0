"""The review and audit commands: history, verify, queue, compare, agreement, merge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from annotator.cli import cli, main
from annotator.core.store import Store

from ..core.review_support import fake_clock, folder_digest, tamper

TEXT = "Kremlin denied a Bloomberg report claiming that Erdogan raised the issue."


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake_clock(monkeypatch)
    path = tmp_path / "team" / "a.db"
    path.parent.mkdir()
    with Store.open(path) as store:
        article, _ = store.add_article(TEXT, title="Kremlin denial", actor="ana")
        store.add_annotation(article.id, 0, 14, "denial", annotator="ana", uid="aaaa-1")
        store.add_annotation(article.id, 17, 33, "claim", annotator="ana", uid="aaaa-2")
        store.add_annotation(article.id, 0, 14, "denial", annotator="bo", uid="bbbb-1")
        store.add_annotation(article.id, 17, 26, "claim", annotator="bo", uid="bbbb-2")
        store.relabel("aaaa-2", "background", actor="ana")
        store.set_status("bbbb-1", "accepted", actor="rita")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_new_command_has_help(capsys) -> None:
    for name in ("history", "verify", "queue", "compare", "agreement", "merge"):
        assert cli.get_command(click.Context(cli), name).help, name
        code, out, _ = run(capsys, name, "--help")
        assert code == 0 and "Usage:" in out


def test_history(db: Path, capsys) -> None:
    code, out, _ = run(capsys, "history", "--db", str(db), "aaaa-2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("annotation aaaa-2: background [17, 33)")
    assert "ana" in lines[1] and "create" in lines[1] and "created claim [17, 33)" in lines[1]
    assert "relabel" in lines[2] and "label: 'claim' → 'background'" in lines[2]

    code, out, _ = run(capsys, "history", "--db", str(db), "--json", "bbbb-1")
    events = [json.loads(line) for line in out.splitlines()]
    assert [(e["actor"], e["action"]) for e in events] == [("bo", "create"), ("rita", "review")]
    assert events[1]["changes"] == [{"field": "status", "before": "pending", "after": "accepted"}]

    code, _, err = run(capsys, "history", "--db", str(db), "aaaa")
    assert code == 1 and err.startswith("annotator: error: 2 annotations have a uid matching 'aaaa'")
    code, _, err = run(capsys, "history", "--db", str(db), "zzz")
    assert code == 1 and "no annotation" in err and "Traceback" not in err


def test_verify_exit_status(db: Path, capsys) -> None:
    code, out, _ = run(capsys, "verify", "--db", str(db))
    assert code == 0 and out.startswith("the event log is intact: 7 events, head ")
    head = out.splitlines()[0].split("head ")[1].strip()
    assert "the file passes SQLite's integrity_check" in out
    assert run(capsys, "verify", "--db", str(db), "--head", head)[0] == 0

    tamper(db, "UPDATE events SET actor = 'mallory' WHERE id = 6")
    code, out, _ = run(capsys, "verify", "--db", str(db))
    assert code == 1
    assert out.startswith("event 6 (relabel at ") and "altered" in out and "the 5 events before it are intact" in out


def test_queue(db: Path, capsys) -> None:
    code, out, err = run(capsys, "queue", "--db", str(db))
    assert code == 0 and err.strip() == "3 annotations in the queue"
    assert [line.split()[0] for line in out.splitlines()] == ["aaaa-1", "bbbb-2", "aaaa-2"]  # by (start, end)
    _, out, _ = run(capsys, "queue", "--db", str(db), "--all", "--annotator", "bo")
    assert [line.split()[0] for line in out.splitlines()] == ["bbbb-1", "bbbb-2"]
    _, out, _ = run(capsys, "queue", "--db", str(db), "--status", "accepted")
    assert [line.split()[0] for line in out.splitlines()] == ["bbbb-1"]
    _, out, _ = run(capsys, "queue", "--db", str(db), "--label", "claim", "--article", "1")
    assert [line.split()[0] for line in out.splitlines()] == ["bbbb-2"]


def test_compare(db: Path, capsys) -> None:
    code, out, err = run(capsys, "compare", "--db", str(db), "--article", "1", "ana", "bo")
    assert code == 0
    # ana's background [17, 33) against bo's claim [17, 26): different label and offsets, so two "only"s
    assert [line.split(": ")[0] for line in out.splitlines()] == ["[17, 26) only bo has a span",
                                                                   "[17, 33) only ana has a span"]
    assert "1 span agrees exactly, 2 disagreements" in err
    code, _, err = run(capsys, "compare", "--db", str(db), "--article", "9", "ana", "bo")
    assert code == 1 and "no article with id 9" in err


def test_agreement(db: Path, capsys) -> None:
    code, out, _ = run(capsys, "agreement", "--db", str(db), "--annotators", "ana", "bo", "--article", "1")
    assert code == 0
    assert "annotators: ana, bo; 1 article, 73 characters; labels: claim, denial, background" in out
    assert any(line.split()[:3] == ["ana", "bo", "all"] for line in out.splitlines())
    assert "alpha (all annotators)" in out

    code, out, _ = run(capsys, "agreement", "--db", str(db), "--json", "--label", "denial")
    report = json.loads(out)
    assert report["annotators"] == ["ana", "bo"] and report["labels"] == ["denial"]
    overall = report["pairs"][0]["spans"][0]
    assert overall["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["alpha"][0]["value"] == pytest.approx(1.0)

    code, _, err = run(capsys, "agreement", "--db", str(db), "--annotators", "ana")
    assert code == 1 and "at least two annotators" in err
    code, _, err = run(capsys, "agreement", "--db", str(db), "--annotators")
    assert code == 2 and "name the annotators" in err


def test_agreement_with_an_annotator_silent_in_the_scope_says_n_a(db: Path, capsys) -> None:
    with Store.open(db) as store:
        other, _ = store.add_article("Elsewhere entirely.", title="other", actor="cy")
        store.add_annotation(other.id, 0, 9, "claim", annotator="cy")
    code, out, _ = run(capsys, "agreement", "--db", str(db), "--annotators", "ana", "bo", "cy", "--article", "1")
    assert code == 0
    assert "no span in scope, left out of alpha (their pairs: n/a): cy" in out
    kappa = next(line for line in out.splitlines() if line.startswith("kappa ana ~ cy"))
    assert kappa.split()[4:] == ["n/a"] * 4
    alone = json.loads(run(capsys, "agreement", "--db", str(db), "--json", "--annotators", "ana", "bo",
                           "--article", "1")[1])
    report = json.loads(run(capsys, "agreement", "--db", str(db), "--json", "--annotators", "ana", "bo", "cy",
                            "--article", "1")[1])
    assert report["without_spans"] == ["cy"] and report["alpha"] == alone["alpha"]


def test_merge_twice_and_conflicts(db: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "colleague" / "b.db"
    other.parent.mkdir()
    shutil.copy(db, other)
    with Store.open(db) as store:
        store.set_note("aaaa-1", "mine", actor="ana")
    with Store.open(other) as store:
        store.set_note("aaaa-1", "theirs", actor="bo")
        store.add_annotation(1, 48, 55, "claim", annotator="bo", uid="bbbb-3")
    before = folder_digest(other.parent)

    code, out, _ = run(capsys, "merge", "--db", str(db), "--dry-run", str(other))
    assert code == 0 and "would merge" in out
    code, out, _ = run(capsys, "merge", "--db", str(db), "--as", "lead", str(other))
    assert code == 0
    lines = out.splitlines()
    assert "merged 0 new articles, 1 new annotation, 1 updated" in lines[0] and "1 conflict" in lines[0]
    assert lines[1].startswith("  conflict: ana's “Kremlin denied”: edited on both sides; merged part by part: "
                               "note from both sides (changed on both sides; both kept, each with its author)")
    assert "Here: denial “Kremlin denied” [0, 14)" in lines[1] and lines[1].endswith("(annotation aaaa-1)")
    code, out, _ = run(capsys, "merge", "--db", str(db), str(other))
    assert code == 0 and out.strip().endswith("nothing new to merge")
    assert folder_digest(other.parent) == before
    assert run(capsys, "verify", "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "history", "--db", str(db), "aaaa-1")
    assert "lead" in out and "merge" in out

    code, _, err = run(capsys, "merge", "--db", str(db), str(tmp_path / "missing.db"))
    assert code == 1 and err.startswith("annotator: error: no database at")


def test_unknown_annotator_names_are_refused(db: Path, capsys) -> None:
    code, _, err = run(capsys, "compare", "--db", str(db), "--article", "1", "ana", "carl")
    assert code == 1 and "no annotations by 'carl'" in err
    code, out, err = run(capsys, "export", "--db", str(db), "--format", "jsonl", "--annotator", "carl")
    assert code == 1 and out == "" and "no annotations by 'carl'" in err


def test_a_name_is_one_annotator_however_it_is_cased(db: Path, capsys) -> None:
    """"BO" and "Ana" typed on the command line are the bo and ana this database knows."""
    code, _, err = run(capsys, "compare", "--db", str(db), "--article", "1", "Ana", "BO")
    assert code == 0, err
    code, out, _ = run(capsys, "export", "--db", str(db), "--format", "jsonl", "--annotator", "ANA")
    assert code == 0 and out and all(s["annotator"] == "ana" for line in out.splitlines()
                                     for s in json.loads(line)["spans"])
    code, out, err = run(capsys, "agreement", "--db", str(db), "--annotators", "ANA", "Bo")
    assert code == 0 and "annotators: ana, bo" in out
    text = "Turkey asked Russia to take back its S-400 systems."
    path = db.parent / "more.jsonl"
    path.write_text(json.dumps({"text": text, "spans": [{"start": 0, "end": 6, "label": "claim"}]}) + "\n",
                    encoding="utf-8")
    code, _, err = run(capsys, "import", "--db", str(db), str(path), "--annotator", "BO")
    assert code == 0 and "'BO' is spelled 'bo' in this database" in err
    with Store.open(db) as store:
        assert "BO" not in store.annotators() and store.annotations(annotators=["bo"])
    code, _, err = run(capsys, "import", "--db", str(db), str(path), "--annotator", "b\u043e")
    assert code == 1 and "mixes Latin, Cyrillic or Greek letters" in err


def test_compare_can_accept_what_both_agree_on(db: Path, capsys) -> None:
    code, _, err = run(capsys, "compare", "--db", str(db), "--article", "1", "ana", "bo", "--accept-agreements",
                       "--as", "lead")
    assert code == 0 and "accepted 1 span both agree on" in err
    with Store.open(db) as store:
        pair = [a for a in store.annotations(article_ids=[1]) if (a.start, a.end, a.label) == (0, 14, "denial")]
        assert sorted((a.annotator, a.status, a.reviewer) for a in pair) == [
            ("ana", "accepted", "lead"), ("bo", "rejected", "lead")]
        assert "duplicate" in next(a for a in pair if a.status == "rejected").review_note


def test_compare_checks_who_accepts_before_listing(db: Path, capsys) -> None:
    code, out, err = run(capsys, "compare", "--db", str(db), "--article", "1", "ana", "bo", "--accept-agreements",
                         "--as", "\x07x")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "control character U+0007" in err


@pytest.mark.parametrize("args, said", [
    (["--annotator", "nobody"], "no annotations by 'nobody' in this database (annotators: ana, bo)"),
    (["--article", "-1"], "no article with id -1"),
    (["--label", "nope"], "unknown label 'nope'"),
])
def test_queue_says_a_typo_in_a_filter_as_other_commands_do(db: Path, capsys, args: list[str], said: str) -> None:
    code, out, err = run(capsys, "queue", "--db", str(db), *args)
    assert code == 1 and out == "" and said in err and err.count("\n") == 1
    if args[0] == "--annotator":
        assert run(capsys, "agreement", "--db", str(db), "ana", "nobody")[2] == err
