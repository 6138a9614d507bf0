"""Rows on stdout, then the count or warning on stderr: in that order where both reach one terminal or file (QA4-25)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from annotator.cli import main, say
from annotator.core.store import Store


class _Sink(io.RawIOBase):
    """One place both streams end up, as a terminal or ``2>&1`` joins them: bytes in the order they arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
        self.data += bytes(b)
        return len(b)


def _joined(monkeypatch: pytest.MonkeyPatch) -> _Sink:
    """stdout and stderr as Python makes them for a pipe: stdout block-buffered, stderr written through."""
    sink = _Sink()
    out = io.TextIOWrapper(io.BufferedWriter(sink, 8192), encoding="utf-8", newline="\n")
    err = io.TextIOWrapper(io.BufferedWriter(sink, 8192), encoding="utf-8", newline="\n", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    return sink


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "order.db"
    with Store.open(path) as store:
        article, _ = store.add_article("Turkey asked Russia to take back its S-400 systems.", title="t", actor="ana")
        span = store.add_annotation(article.id, 0, 51, "claim", annotator="ana")
        store.link_spans([span.uid], actor="ana")
    return path


def test_a_count_on_stderr_comes_after_the_rows_however_they_were_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """``say(err=True)``, the one way a command writes to stderr, first sends out what stdout holds: a row
    written to the text stream without a flush (or to its binary buffer) cannot land after the count."""
    sink = _joined(monkeypatch)
    sys.stdout.write("c-s400  -    1   0   0   0  2025-12-15  Türkiye plans to return the S-400 to Russia\n")
    say("1 claim", err=True)
    text = sink.data.decode("utf-8")
    assert text.endswith("to Russia\n1 claim\n"), text


def test_an_error_comes_after_the_rows_printed_before_it(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sink = _joined(monkeypatch)
    sys.stdout.write("a row printed before the failure\n")
    code = main(["claims", "show", "--db", str(db), "nosuchclaim"])
    text = sink.data.decode("utf-8")
    assert code == 1
    assert text.index("annotator: error:") > text.index("a row printed before the failure")
