"""A count of things is said with ``words.count``: "1 cell", never "1 cells" (QA-3 D16).

Behaviour tests catch the messages met so far; this scan catches the next one written the old way:
``{len(x)} nouns`` in an f-string of the core, the command line or the window.
"""

from __future__ import annotations

import re
from pathlib import Path

import annotator

PACKAGE = Path(annotator.__file__).parent
PLURAL_AFTER_LEN = re.compile(r"\{len\([^{}]*\)(?::[^}]*)?\} [a-z]+s\b|\{[^{}]*\} [a-z]+\(s\)")
# Counts that are never 1 where they are said, each with why.
NEVER_ONE = {
    "core/text.py": "the 1-byte case is said apart",
    "core/claims.py": "said only past SUMMARY_LIMIT characters",
    "core/formats/csv.py": "said only past MAX_COLUMNS columns",
    "core/formats/spacy.py": "said only past the size limit's share of strings",
    "core/formats/brat.py": "said only past the size limit's share of members",
    "core/store/claims.py": "said only for a span linked to two claims or more",
    "gui/review_dialogs.py": "agreement has two annotators or more",
    "gui/claim_linking.py": "said only for a span linked to two claims or more",
    "gui/article_view.py": "said only for more than one span under the pointer",
}


def test_no_count_is_said_with_a_fixed_plural() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where in NEVER_ONE:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PLURAL_AFTER_LEN.search(line):
                found.append(f"{where}:{lineno}: {line.strip()}")
    assert found == []


def test_a_text_of_one_character_is_said_so() -> None:
    import pytest

    from annotator.core.errors import SpanError
    from annotator.core.model import check_span

    with pytest.raises(SpanError, match=r"^end 5 is past the end of the text \(1 character\)$"):
        check_span("a", 0, 5)
