"""suggest, suggestions (accept, reject), train, cues and import --as-suggestions on the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest

from annotator.cli import cli, main
from annotator.core import audit
from annotator.core.paths import load_seeds
from annotator.core.store import Store

GOLD = Path(__file__).resolve().parent.parent / "data" / "seeds_gold.jsonl"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        load_seeds(store, "tester")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_suggestions_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name, subcommands in (("suggest", ()), ("suggestions", ("accept", "reject")), ("train", ()),
                              ("cues", ("add", "remove"))):
        command = cli.get_command(click.Context(cli), name)
        assert command is not None and command.help, name
        for sub in subcommands:
            assert isinstance(command, click.Group) and command.commands[sub].help, sub
            assert run(capsys, name, sub, "--help")[0] == 0


def test_suggest_prints_how_many_per_label_and_suggestions_lists_them(db: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "suggest", "--db", str(db), "--as", "ana")
    assert code == 0
    assert out == "rules: 5 articles, new suggestions: 7 background, 24 claim, 12 denial\n"
    assert "43 open suggestions in all" in err
    code, out, err = run(capsys, "suggestions", "--db", str(db), "--label", "denial", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 3 and "2 of 12 suggestions" in err
    code, out, _ = run(capsys, "suggestions", "--db", str(db), "--json", "--article", "1", "--order", "position")
    first = json.loads(out.splitlines()[0])
    assert (first["label"], first["state"], first["source"], first["start"]) == ("denial", "open", "rules", 0)


def test_accept_as_another_label_and_reject_by_uid_prefix(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "suggest", "--db", str(db), "--as", "ana")
    with Store.open(db) as store:
        first, second = store.suggestion_rows(order="position", limit=2)
    # a unique start of a uid will do (UUIDv7: the first digits are the time, shared by the run)
    code, out, _ = run(capsys, "suggestions", "accept", first.uid[:30], "--label", "claim", "--db", str(db),
                       "--as", "bo")
    assert code == 0 and out.startswith("accepted as claim: annotation ")
    code, out, _ = run(capsys, "suggestions", "reject", second.uid, "--db", str(db), "--as", "bo")
    assert code == 0 and out.startswith("rejected: claim ")
    code, _, err = run(capsys, "suggestions", "reject", second.uid, "--db", str(db))
    assert code == 1 and err == "annotator: error: this suggestion was rejected by bo already\n"
    code, _, err = run(capsys, "suggestions", "accept", "0000", "--db", str(db))
    assert code == 1 and err == ("annotator: error: no suggestion with a uid matching '0000'"
                                 " (type the start or the end of the uid a table shows, or all of it)\n")
    code, _, err = run(capsys, "suggestions", "accept", os.path.commonprefix([first.uid, second.uid]), "--db",
                       str(db))
    assert code == 1 and "suggestions have a uid matching" in err and "type more of it" in err
    with Store.open(db) as store:
        (made,) = store.annotations()
        assert (made.label, made.annotator, made.start) == ("claim", "bo", first.start)
        assert audit.verify(store).ok
    code, out, _ = run(capsys, "suggestions", "--db", str(db), "--state", "rejected", "--state", "accepted")
    assert sorted(line.split()[1] for line in out.splitlines()[1:]) == ["accepted", "rejected"]


def test_import_as_suggestions_then_train_prints_scores_per_label(db: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "--as-suggestions", str(GOLD), "--db", str(db))
    assert code == 0 and "75 suggestions added" in out and "5 articles already present" in out
    code, _, err = run(capsys, "train", "--db", str(db))
    assert code == 1 and err == "annotator: error: nothing to learn from: no tagged spans with status accepted or" \
                                " pending\n"
    with Store.open(db) as store:
        for s in store.suggestion_rows(sources=["import"]):
            store.accept_span_suggestion(s.uid, annotator="gold")
    code, out, _ = run(capsys, "train", "--db", str(db), "--folds", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("model local: learnt from 75 spans in 5 articles")
    assert lines[1] == "cross-validated by article (3 folds), per sentence or clause:"
    assert [line.split()[:2] for line in lines[3:6]] == [["background", "34"], ["claim", "26"], ["denial", "12"]]
    assert all(line.endswith("offered") for line in lines[3:6])
    assert lines[-1].startswith("a model suggestion's score is how often")
    code, out, _ = run(capsys, "train", "--db", str(db), "--json", "--folds", "0")
    assert json.loads(out)["folds"] == 0 and set(json.loads(out)["not_offered"]) == {"background", "claim", "denial"}
    code, out, _ = run(capsys, "suggest", "--db", str(db), "--source", "model")
    assert code == 0 and out.startswith("model:local: 5 articles, nothing new")
    assert "denial not offered: not cross-validated" in out


def test_cues_are_listed_added_and_removed(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cues", "--db", str(db), "--label", "background")
    assert code == 0 and "background     en   in ####" in out.splitlines()
    code, out, _ = run(capsys, "cues", "add", "denial", "dementi*", "--language", "de", "--db", str(db))
    assert out == "added denial cue 'dementi*' (de)\n"
    code, _, err = run(capsys, "cues", "add", "denial", "dementi*", "--language", "de", "--db", str(db))
    assert code == 1 and "already" in err
    code, out, _ = run(capsys, "cues", "remove", "denial", "dementi*", "--language", "de", "--db", str(db))
    assert code == 0 and out == "removed denial cue 'dementi*' (de)\n"
    code, _, err = run(capsys, "cues", "remove", "denial", "dementi*", "--language", "de", "--db", str(db))
    assert code == 1 and err.startswith("annotator: error: denial has no cue")


def test_suggest_refuses_an_unknown_article_and_a_missing_model(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "suggest", "--db", str(db), "--article", "99")
    assert code == 1 and err == "annotator: error: no article with id 99\n"
    code, _, err = run(capsys, "suggest", "--db", str(db), "--source", "model")
    assert code == 1 and "no model called 'local'" in err
