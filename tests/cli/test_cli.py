from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import cli, main
from annotator.core.paths import default_database, seeds_dir
from annotator.core.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.help
    import click

    names = cli.list_commands(click.Context(cli))
    assert {"import", "list", "export", "history", "verify", "agreement", "merge"} <= set(names)
    for name in names:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None and command.help, name
        code, out, _ = run(capsys, name, "--help")
        assert code == 0 and "Usage:" in out


def test_import_list_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    code, out, err = run(capsys, "import", "--db", db, str(seeds_dir()))
    assert code == 0, err
    assert "5 articles added" in out
    code, out, _ = run(capsys, "list", "--db", db)
    assert code == 0
    assert "Kremlin Denies Claims" in out and "claim" in out.splitlines()[0]
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 5 and rows[0]["counts"] == {"claim": 0, "denial": 0, "background": 0}
    code, out, err = run(capsys, "export", "--db", db, "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 5
    assert "wrote 5 articles, 0 spans" in err
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "export", "--db", db, "--format", "csv", "--out", str(target))
    assert code == 0 and target.read_bytes().startswith(b"article_id,")


def test_env_var_names_the_database(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("ANNOTATOR_DB", str(db))
    code, out, err = run(capsys, "where")
    assert out.strip() == str(db)
    assert err == "annotator: note: no database there yet; the workspace or an import creates it\n"
    run(capsys, "import", str(seeds_dir() / "000_2fd0f5c64ad6bf09.txt"))
    assert run(capsys, "where")[1:] == (f"{db}\n", "")
    assert Store.open(db).article_count() == 1
    # --db beats the environment
    other = tmp_path / "other.db"
    run(capsys, "import", "--db", str(other), str(seeds_dir() / "001_19574a272b582aaa.txt"))
    assert Store.open(other).article_count() == 1 and Store.open(db).article_count() == 1


def test_default_database_gets_the_seeds_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert not default_database().exists()
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and len(out.splitlines()) == 5
    assert default_database().exists()
    run(capsys, "list")
    assert Store.open(default_database()).article_count() == 5


def test_named_database_starts_empty(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("The only article.\n", encoding="utf-8")
    code, out, err = run(capsys, "import", "--db", str(tmp_path / "new.db"), str(one))
    assert code == 0 and (tmp_path / "new.db").exists()
    code, out, err = run(capsys, "list", "--db", str(tmp_path / "new.db"), "--json")
    assert code == 0 and [json.loads(line)["title"] for line in out.splitlines()] == ["The only article."]


def test_rejections_exit_1_and_name_the_place(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "Good."}\n{"text": \n', encoding="utf-8")
    code, out, err = run(capsys, "import", "--db", str(tmp_path / "a.db"), str(path))
    assert code == 1
    assert f"annotator: rejected: {path}:2: not valid JSON" in err
    assert "1 article added" in out
    code, out, err = run(capsys, "import", "--db", str(tmp_path / "b.db"), "--strict", str(path))
    assert code == 1 and "nothing was imported" in out
    assert Store.open(tmp_path / "b.db").article_count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "xml"], "Invalid value for '--format'"),
        (["export"], "Missing option '--format'"),
        (["frobnicate"], "No such command"),
        (["export", "--format", "jsonl", "--label", "opinion"], "unknown label 'opinion'"),
        (["import", "/no/such/file.txt"], "no such file or folder"),
    ],
)
def test_errors_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str) -> None:
    Store.open(tmp_path / "e.db").close()
    code, _, err = run(capsys, "--db", str(tmp_path / "e.db"), *args)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("annotator: ") and message in lines[0]
    assert "Traceback" not in err


def test_bad_database_is_one_line_and_untouched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all")
    code, _, err = run(capsys, "--db", str(path), "list")
    assert code == 1
    assert err.startswith("annotator: error: ") and err.count("\n") == 1
    assert path.read_text() == "not a database at all"


def test_read_only_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Store.open(path).close()
    path.chmod(0o444)
    try:
        code, out, err = run(capsys, "--db", str(path), "import", str(seeds_dir()))
        assert code == 1 and "read-only" in err and err.startswith("annotator: error:")
        code, _, _ = run(capsys, "--db", str(path), "list")
        assert code == 0
    finally:
        path.chmod(0o644)


def test_python_m_annotator_and_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "annotator", "--db", str(tmp_path / "x.db"), "export",
                             "--format", "jsonl", "--status", "nope"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("annotator: error:") and "Traceback" not in result.stderr
    version = subprocess.run([sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True,
                             timeout=60)
    assert version.returncode == 0 and "annotator" in version.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux tells a missing display before opening a window")
def test_a_bare_launch_goes_straight_to_the_workspace(tmp_path: Path) -> None:
    # No arguments: the workspace starts without loading click. With no display it
    # still ends in one line and exit status 1, as it does through click.
    code = "import sys; from annotator.entry import main; rc = main(); print(rc, 'click' in sys.modules)"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "ANNOTATOR_DB")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))

    def launch(**extra: str) -> tuple[list[str], str]:
        result = subprocess.run([sys.executable, "-c", code], env={**env, **extra}, capture_output=True,
                                text=True, timeout=60)
        return result.stdout.split(), result.stderr + f"(exit {result.returncode})"

    fast, fast_err = launch()
    assert fast == ["1", "False"]
    assert fast_err.startswith("annotator: error: no display") and fast_err.count("\n") == 1
    assert fast_err.endswith("(exit 0)")  # the 1 is main()'s return value, printed above
    # A database named in the environment goes through the command line, to the same end.
    assert launch(ANNOTATOR_DB=str(tmp_path / "x.db")) == (["1", "True"], fast_err)
    # So does click's shell completion, which runs the command with no arguments too.
    out, err = launch(_ANNOTATOR_COMPLETE="bash_source")  # click prints the script and exits 0 itself
    assert "_annotator_completion" in " ".join(out) and err == "(exit 0)"


def test_a_bad_filter_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    run(capsys, "import", "--db", db, str(seeds_dir()))
    code, out, err = run(capsys, "export", "--db", db, "--format", "csv", "--label", "rumour")
    assert code == 1 and out == "" and "unknown label 'rumour'" in err
    target = tmp_path / "x.csv"
    code, _, _ = run(capsys, "export", "--db", db, "--format", "csv", "--label", "rumour", "--out", str(target))
    assert code == 1 and not target.exists()


def test_list_columns_stay_aligned_with_wide_characters() -> None:
    from annotator.cli import cut, display_width, pad

    for title in ("Plain title here", "Emoji 😀 title 🇹🇷 here and more", "中文标题很长很长很长很长", "e\u0301te\u0301"):
        cell = pad(cut(title, 12), 12)
        assert display_width(cell) == 12, cell


def _command_paths(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's path, nested ones too ("claims", "link")."""
    import click

    assert isinstance(group, click.Group)
    found = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        found.append((*path, name))
        if isinstance(command, click.Group):
            found += _command_paths(command, (*path, name))
    return found


def test_every_usage_error_names_the_command_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    """"annotator claims link --help", never "annotator link --help" (no such command)."""
    paths = _command_paths(cli)
    assert ("claims", "link") in paths and ("labels", "add") in paths
    for path in paths:
        code, _out, err = run(capsys, *path, "--no-such-option")
        assert code == 2 and err.rstrip().endswith(f"(see 'annotator {' '.join(path)} --help')"), (path, err)
    for path in (("claims", "link"), ("claims", "set"), ("claims", "show")):
        code, _out, err = run(capsys, *path)
        assert code == 2 and "Missing argument" in err and f"'annotator {' '.join(path)} --help'" in err, err


def test_a_command_that_writes_nothing_leaves_no_new_database(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "good record"}\n{"text": 5}\n', encoding="utf-8")
    spans = tmp_path / "spans.csv"   # a span export: refused whole, nothing to import
    spans.write_text("article_id,title,source,start,end,label,text,annotator,status,note,uid\n"
                     "1,t,s,0,3,claim,abc,ana,pending,,u1\n", encoding="utf-8")
    colleague = tmp_path / "colleague.db"
    assert run(capsys, "import", "--db", str(colleague), str(seeds_dir()))[0] == 0
    db = str(tmp_path / "new.db")
    for args in (("import", "--db", db, "--strict", str(bad)), ("import", "--db", db, str(spans)),
                 ("merge", "--db", db, "--dry-run", str(colleague)),
                 ("labels", "add", "--db", db, "quote", "--colour", "pink"),
                 ("claims", "link", "--db", db, "no-such-span")):
        code, _out, err = run(capsys, *args)
        assert code != 0 or args[0] == "merge", (args, err)
        assert not any(tmp_path.glob("new.db*")), (args, code, err)
    # An existing database is never touched by a command that writes nothing.
    before = colleague.read_bytes()
    assert run(capsys, "import", "--strict", "--db", str(colleague), str(bad))[0] == 1
    assert colleague.read_bytes() == before
    # One that writes keeps the file it made.
    assert run(capsys, "import", "--db", str(tmp_path / "new.db"), str(bad))[0] == 1
    assert (tmp_path / "new.db").exists()


def test_import_help_names_every_extension_it_reads(capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.core import formats

    code, out, _ = run(capsys, "import", "--help")
    assert code == 0
    text = " ".join(out.split())
    for ext in {e for f in formats.import_formats() for e in f.extensions} - {".text", ".markdown", ".xhtml",
                                                                               ".ndjson", ".bio", ".iob"}:
        assert ext.lstrip(".") in text, ext
