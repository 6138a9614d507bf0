"""The span invariant's refusals, word for word, and the model's small rules."""

from __future__ import annotations

import re

import pytest

from annotator.core.errors import SpanError
from annotator.core.model import check_span, check_status, new_uid, now_iso

TEXT = "x" * 30 + "y" * 30


@pytest.mark.parametrize(("start", "end", "span_text", "message"), [
    (0, 2.0, None, "offsets must be integers, got start=0 end=2.0"),
    (True, 2, None, "offsets must be integers, got start=True end=2"),
    (0, False, None, "offsets must be integers, got start=0 end=False"),
    ("0", 2, None, "offsets must be integers, got start='0' end=2"),
    (-1, 2, None, "start -1 is negative"),
    (0, 61, None, "end 61 is past the end of the text (60 characters)"),
    (5, 5, None, "start 5 is not before end 5"),
    (6, 5, None, "start 6 is not before end 5"),
    (0, 3, "xxy", "span text 'xxy' does not match the article text at [0, 3): 'xxx'"),
    # at most 40 characters of each are quoted
    (0, 40, "z" * 40, f"span text {'z' * 40!r} does not match the article text at [0, 40): {'x' * 30 + 'y' * 10!r}"),
    (0, 41, "z" * 41, f"span text {'z' * 39 + '…'!r} does not match the article text at [0, 41):"
                      f" {'x' * 30 + 'y' * 9 + '…'!r}"),
], ids=["float", "bool-start", "bool-end", "str", "negative", "past-end", "empty", "reversed", "text", "forty",
        "forty-one"])
def test_each_broken_span_says_why(start: object, end: object, span_text: str | None, message: str) -> None:
    with pytest.raises(SpanError) as refused:
        check_span(TEXT, start, end, span_text)  # type: ignore[arg-type]
    assert str(refused.value) == message


def test_a_good_span_passes() -> None:
    check_span(TEXT, 0, 60, TEXT)
    check_span(TEXT, 59, 60)


def test_statuses() -> None:
    for status in ("pending", "accepted", "rejected"):
        check_status(status)
    with pytest.raises(SpanError) as refused:
        check_status("Accepted")
    assert str(refused.value) == "unknown status 'Accepted' (statuses: pending, accepted, rejected)"


def test_times_and_uids() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", now_iso())
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", new_uid())
    made = [new_uid() for _ in range(50)]
    assert made == sorted(made) and len(set(made)) == 50  # time-ordered, one a call
