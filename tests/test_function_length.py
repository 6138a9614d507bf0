"""No function of the package runs over 60 lines unless its docstring says why it is not split."""

from __future__ import annotations

import ast
from pathlib import Path

import annotator

LIMIT = 60
PACKAGE = Path(annotator.__file__).parent
# A long function that stays whole says so in its docstring, after this marker, with the reason.
MARKER = "Not split:"
# Being rewritten elsewhere (the store's rooms, the merge and its claims half): not held to the limit
# until that work lands; docs/testing.md lists what is long there today.
BEING_REWRITTEN = ("core/store/", "core/merge.py", "core/merge_claims.py")


def _functions(tree: ast.AST, prefix: str = "") -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            found += _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append((prefix + node.name, node))
            found += _functions(node, f"{prefix}{node.name}.")
    return found


def long_functions() -> dict[tuple[str, str], tuple[int, str]]:
    """(file, qualified name) -> (lines from ``def`` to the last line, docstring) of each function over LIMIT."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _functions(tree):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > LIMIT:
                found[(path.relative_to(PACKAGE).as_posix(), name)] = (lines, ast.get_docstring(node) or "")
    return found


def test_long_functions_are_split_or_say_why() -> None:
    unexplained = []
    for (file, name), (lines, doc) in long_functions().items():
        reason = doc.partition(MARKER)[2].strip()
        if not file.startswith(BEING_REWRITTEN) and len(reason.split()) < 5:
            unexplained.append(f"{file}: {name} has {lines} lines")
    assert not unexplained, (f"split these, or say in the docstring after {MARKER!r} why not:\n  "
                             + "\n  ".join(unexplained))


def test_the_measure_counts_methods_from_def_to_the_last_line() -> None:
    source = "class A:\n    def f(self):\n" + "".join(f"        x = {i}\n" for i in range(LIMIT - 1))
    node = dict(_functions(ast.parse(source)))["A.f"]
    assert node.end_lineno - node.lineno + 1 == LIMIT
