"""Render the workspace offscreen to docs/screenshot.png (light), docs/screenshot-dark.png, docs/compare.png.

    python docs/screenshot.py

Uses a throwaway database and settings: two seed articles side by side, with
nested spans tagged the way a fact-checker would, by two annotators.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.importer import Importer  # noqa: E402
from annotator.core.paths import seeds_dir  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.gui.app import apply_style  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.gui.settings import WindowSettings  # noqa: E402

TAGS = {
    # the Kremlin's denial, with the Bloomberg claim it denies nested inside it
    "000_2fd0f5c64ad6bf09.txt": [
        ("ana", "Kremlin denied a Bloomberg report claiming that", "denial", "last week."),
        ("ana", "President Recep Tayyip Erdogan raised", "claim", "in Ashgabat"),
        ("ana", "\"This topic was not on the agenda,\"", "denial", None),
        ("ana", "Bloomberg had reported", "claim", "demanded by Washington."),
        ("bo", "Kremlin denied a Bloomberg report", "denial", None),
        ("bo", "Peskov said Moscow does not believe", "background", "Russian-Turkish relations."),
    ],
    # the Bloomberg-based report
    "002_cad9066ba476337a.txt": [
        ("ana", "Türkiye plans to return", "claim", "Bloomberg informs."),
        ("ana", "which it purchased about 10 years ago", "background", None),
        ("ana", "Türkiye wants to return the S-400 systems", "claim", "F-35 fighter jets."),
        ("ana", "the Kremlin has strongly denied", "denial", "at all."),
        ("bo", "Türkiye plans to return the S-400", "claim", "to Russia"),
    ],
}


def tag(store: Store) -> None:
    for article in store.articles():
        text = store.article_text(article.id)
        for who, begin, label, until in TAGS.get(article.origin or "", []):
            start = text.index(begin)
            end = text.index(until, start) + len(until) if until else start + len(begin)
            store.add_annotation(article.id, start, end, label, annotator=who)
    first = store.annotations_for(1)
    store.set_status(first[0].uid, "accepted", actor="rita")


def main() -> None:
    app = QApplication([])
    apply_style(app)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shot.db"
        with Store.open(db) as store:
            Importer(store, actor="ana").run([seeds_dir()])
            tag(store)
        settings = WindowSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(Store.open(db), "ana", settings)
        window.restore_state()
        window.resize(1500, 920)  # after restore_state, which sizes a first start to the screen
        window.show()
        pane = window.panes.panes[1]
        window.panes.set_current(pane)
        uid = pane.view.spans_at_offset(pane.view.text.index("President Recep"))[0].uid
        pane.view.select_span(uid, scroll=False)
        window.annotations.show_uid(uid)
        window.say("claim · ana · pending — E note, S resize, Del delete, C next overlapping span")
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(ROOT / "docs" / "screenshot.png"))
        window.set_colour_scheme("dark")
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(ROOT / "docs" / "screenshot-dark.png"))
        window.set_colour_scheme("light")

        window.review.open_compare()
        compare = window.review.compare
        compare.article.setCurrentIndex(compare.article.findData(1))
        compare.left.setCurrentText("ana")
        compare.right.setCurrentText("bo")
        compare.run()
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(ROOT / "docs" / "compare.png"))
        window.close()
    print("wrote docs/screenshot.png, docs/screenshot-dark.png and docs/compare.png")


if __name__ == "__main__":
    main()
