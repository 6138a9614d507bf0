"""Hints: the core's messages name command-line flags only through core/hints.py, so the window can say its own way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from annotator.core import hints
from annotator.core.hints import HINTS, in_window
from annotator.core.importer import Importer
from annotator.core.store import Store

CORE = Path(hints.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _message_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """The string constants of a module but its docstrings (a string standing as a statement, an attribute's
    included); the literal parts of f-strings are constants too."""
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_core_message_names_a_flag_but_through_a_hint() -> None:
    """The class of QA4-14: a flag typed into a message reaches the window as a flag it has no way to give."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        if path.name == "hints.py":
            continue
        for line, text in _message_strings(ast.parse(path.read_text(encoding="utf-8"))):
            if FLAG.search(text) and not any(command in text for command in hints.COMMANDS):
                found.append(f"{path.relative_to(CORE)}:{line}: {text!r}")
    assert found == []


@pytest.mark.parametrize("hint", HINTS, ids=lambda h: h.cli)
def test_every_hint_reads_in_the_window_without_a_flag_given_as_if_the_window_had_it(hint: hints.Hint) -> None:
    said = hint.say(encoding="utf-16-le") if "{" in hint.cli else hint.cli
    shown = in_window(f"a message; {said}; its end")
    assert shown.startswith("a message; ") and shown.endswith("; its end")
    assert not hint.found_in(shown)
    # a flag stays only where the window says it is the command line's
    assert not FLAG.search(shown) or "on the command line" in shown
    if "{" in hint.cli:
        assert "utf-16-le" in shown


def test_a_refused_import_says_the_flag_on_the_command_line_and_the_menu_in_the_window(tmp_path: Path) -> None:
    store = Store.memory()
    rumour = tmp_path / "rumour.jsonl"
    rumour.write_text('{"text": "Ankara wants its money back.", "spans": [{"start": 0, "end": 6, "label": "rumour"}]}'
                      "\n", encoding="utf-8")
    [problem] = Importer(store, actor="ana").run([rumour]).rejected
    assert problem.reason.endswith("(labels: claim, denial, background; --create-labels adds it)")   # as before
    assert in_window(problem.reason).endswith("(labels: claim, denial, background; Edit > Labels… adds it, then"
                                              " import again)")
