"""Data never steers the terminal: every command prints control characters escaped, through a pipe too."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.store import Store
from annotator.core.terminal import printable

# Retitle the window, clear the screen, ring, write the clipboard (OSC 52), 8-bit CSI, reorder the line.
TITLE = "\x1b]0;pwned\x07Kremlin\x1b[2J denial\x1b]52;c;ZWNobyBvd25lZA==\x07"
SOURCE = "\x9b31mWire\u202eeriW"
ANNOTATOR = "ana\x1b[5m"
LABEL = "evil\x1b[8m"
NOTE = "note\x07\x00\r\nsecond line"
TEXT = "Kremlin \x1b[31mdenied\x1b[0m the report about Turkey."

# What may not reach a terminal raw: controls, line and paragraph separators, bidi embeddings, overrides
# and isolates (every one lies below U+3000). Line breaks are the output's own.
_BIDI = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
RAW = {ch for ch in map(chr, range(0x3000))
       if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or unicodedata.bidirectional(ch) in _BIDI} - {"\n"}


def _clean(text: str, what: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in RAW})
    assert not found, f"{what} printed raw {', '.join(found)}: {text!r}"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    store = Store.open(path)
    # A database from before label names were checked (or edited by hand) may hold anything.
    store.db.conn.execute("INSERT INTO labels (name, colour, shortcut, description, position) "
                          "VALUES (?, '#000000', '9', ?, 9)", (LABEL, "desc\x1b[2J"))
    store.db.conn.commit()
    store._labels = None
    a, _ = store.add_article(TEXT, title=TITLE, actor="ana", source=SOURCE)
    start = TEXT.index("\x1b[31m")
    one = store.add_annotation(a.id, start, TEXT.index(" the"), LABEL, annotator=ANNOTATOR, note=NOTE)
    store.add_annotation(a.id, start, TEXT.index(" the"), "claim", annotator="bo")
    store.close()
    other = tmp_path / "other.db"
    shutil.copy(path, other)
    # The same span changed on both machines: merge lists the conflict, with the span's words.
    for target, label in ((path, "denial"), (other, "background")):
        s = Store.open(target)
        s.relabel(one.uid, label, actor=ANNOTATOR)
        s.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_escapes_data(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    uid = Store.open(db).annotations_for(1)[0].uid
    bad = tmp_path / "\x1b]0;file\x07.jsonl"
    bad.write_text('{"text": "Some text.", "spans": [{"start": 0, "end": 4, "label": "x\\u001b[2J"}]}\n'
                   '{"text": "\\u009b", "title": 5}\n', encoding="utf-8")
    db_arg = ["--db", str(db)]
    commands = [
        ["list"], ["list", "--json"], ["labels"], ["where"], ["verify"], ["history", uid], ["history", uid, "--json"],
        ["queue", "--all"], ["compare", "--article", "1", ANNOTATOR, "bo"], ["agreement"], ["agreement", "--json"],
        ["merge", "--dry-run", str(tmp_path / "other.db")], ["import", str(bad)],
        ["export", "--format", "brat", "--out", str(tmp_path / "brat")],
        ["export", "--format", "csv", "--label", "\x1b[2J"],  # an error message naming what was typed
    ]
    seen = ""
    for command in commands:
        code, out, err = _run(capsys, command[0], *db_arg, *command[1:])
        _clean(out, " ".join(command) + " (stdout)")
        _clean(err, " ".join(command) + " (stderr)")
        seen += out + err
    # The data is there, shown: escaped, not dropped.
    for shown in (printable(TITLE[:20]), printable(ANNOTATOR), printable(LABEL), "\\u202e", "\\u009b31m"):
        assert shown in seen, shown
    assert "conflict" in seen and "rejected" in seen


def test_a_dataset_written_to_a_pipe_is_left_as_it_is(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = _run(capsys, "export", "--db", str(db), "--format", "jsonl")
    assert code == 0 and "\\u001b]0;pwned" in out  # JSON's own escape: the data, byte for byte
    code, out, _ = _run(capsys, "export", "--db", str(db), "--format", "csv")
    assert code == 0 and TEXT.split()[1] in out  # raw: CSV is data, and a pipe is not a terminal


def _through(args: list[str], *, tty: bool) -> str:
    env = {**os.environ, "COLUMNS": "200"}
    command = [sys.executable, "-m", "annotator", *args]
    if not tty:
        done = subprocess.run(command, capture_output=True, timeout=60, env=env)
        return (done.stdout + done.stderr).decode("utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        try:
            chunk = os.read(leader, 65536) if ready else b""
        except OSError:  # the terminal closed: the command is done
            chunk = b""
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_list_through_a_real_pipe_and_a_terminal(db: Path) -> None:
    for tty in (False, True):
        shown = _through(["list", "--db", str(db)], tty=tty)
        assert "pwned" in shown
        _clean(shown.replace("\r\n", "\n"), f"list ({'terminal' if tty else 'pipe'})")


def test_a_dataset_shown_on_a_terminal_is_escaped(db: Path) -> None:
    shown = _through(["export", "--db", str(db), "--format", "csv"], tty=True)
    assert "\\u001b]0;pwned" in shown and "\\u009b31mWire" in shown
    # The terminal turns each line feed into CR LF, and CSV ends its rows with CR LF itself.
    _clean(shown.replace("\r\r\n", "\n").replace("\r\n", "\n"), "export to a terminal")
