"""PySide6 6.12.0 on CPython 3.11 aborts after ~5,300 calls of Qt methods returning None.

The dependency pins keep that pair out; this runs 20,000 such calls in a child
process so that a bad pair fails this test instead of killing the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor, QTextDocument
doc = QTextDocument("x" * 100)
cursor = QTextCursor(doc)
point = QPoint()
for i in range(20000):
    cursor.setPosition(i % 100)
    point.setX(i)
print("survived", point.x())
"""


def test_twenty_thousand_void_calls_survive() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived 19999" in result.stdout
