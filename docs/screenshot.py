"""Render the workspace offscreen to docs/screenshot.png (light), docs/screenshot-dark.png, docs/compare.png,
claims across articles to docs/claims.png (with the claims dock) and docs/claim-matrix.png, and the cue
rules' suggestions as ghost spans with the suggestion queue to docs/suggestions.png.

    python docs/screenshot.py

Uses throwaway databases and settings: two seed articles side by side, with
nested spans tagged the way a fact-checker would, by two annotators; then the
same story's claims linked across the five outlets.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
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


# More spans for the claims picture: the other outlets' reports and denials.
CLAIM_TAGS = {
    "001_19574a272b582aaa.txt": [
        ("ana", "Kremlin Denies Claims of Türkiye Returning S-400 Missiles to Russia", "denial", None),
        ("ana", "Spokesperson Dmitry Peskov emphasized that this topic was not discussed", "denial", "Turkmenistan."),
        ("ana", "In 2017, Türkiye secured a deal with Russia", "background", "$2.5 billion."),
    ],
    "003_c3cd10854c8d544e.txt": [
        ("ana", "According to Bloomberg, Erdogan asked Putin", "claim", "in 2019."),
        ("ana", "The article claims that Erdogan is seeking", "claim", "fighter jet program."),
        ("ana", "Bloomberg's assertion was also denied", "denial", "from Russia."),
    ],
    "004_59ff217c313965a0.txt": [
        ("ana", "contract with Turkey on the delivery of S-400 would be continued", "background", None),
    ],
}


def span_at(store: Store, origin: str, begin: str) -> str:
    """The uid of the span starting with ``begin`` in the seed ``origin``."""
    article = next(a for a in store.articles() if a.origin == origin)
    start = store.article_text(article.id).index(begin)
    return next(a.uid for a in store.annotations_for(article.id) if a.start == start)


def link_claims(store: Store) -> dict[str, str]:
    """The story's claims, linked across the outlets as a fact-checker would; returns them by name."""
    for article in store.articles():
        text = store.article_text(article.id)
        for who, begin, label, until in CLAIM_TAGS.get(article.origin or "", []):
            start = text.index(begin)
            end = text.index(until, start) + len(until) if until else start + len(begin)
            store.add_annotation(article.id, start, end, label, annotator=who)
    k, t, r, f, m = ("000_2fd0f5c64ad6bf09.txt", "001_19574a272b582aaa.txt", "002_cad9066ba476337a.txt",
                     "003_c3cd10854c8d544e.txt", "004_59ff217c313965a0.txt")
    returned = store.link_spans([
        span_at(store, r, "Türkiye plans to return"), span_at(store, k, "Kremlin denied a Bloomberg report claiming"),
        span_at(store, k, "\"This topic was not on the agenda"), span_at(store, k, "Bloomberg had reported"),
        span_at(store, r, "the Kremlin has strongly denied"), span_at(store, t, "Kremlin Denies Claims"),
        span_at(store, f, "According to Bloomberg"), span_at(store, f, "Bloomberg's assertion"),
    ], actor="ana").claim_uid
    assert returned is not None
    store.edit_claim(returned, actor="ana", summary="Türkiye asked Russia to take back its S-400 systems",
                     claimant="Bloomberg, citing sources")
    store.set_verdict(returned, "unproven", "Anonymous sources only; the Kremlin and Türkiye's defence ministry"
                      " deny that it was raised.", actor="ana")
    f35 = store.link_spans([span_at(store, r, "Türkiye wants to return the S-400 systems"),
                            span_at(store, f, "The article claims that Erdogan")], actor="ana").claim_uid
    assert f35 is not None
    store.edit_claim(f35, actor="ana", summary="Giving up the S-400s would let Türkiye back into the F-35 programme",
                     claimant="Bloomberg")
    ashgabat = store.link_spans([span_at(store, k, "President Recep Tayyip Erdogan raised"),
                                 span_at(store, t, "Spokesperson Dmitry Peskov emphasized")], actor="ana").claim_uid
    assert ashgabat is not None
    store.edit_claim(ashgabat, actor="ana", summary="Erdoğan raised the S-400s with Putin in Ashgabat",
                     claimant="Bloomberg, citing sources")
    store.set_verdict(ashgabat, "mostly false", "Both sides deny it was on the agenda.", actor="ana")
    deal = store.link_spans([span_at(store, t, "In 2017, Türkiye secured"),
                             span_at(store, m, "contract with Turkey on the delivery")], actor="ana",
                            role="context").claim_uid
    assert deal is not None
    store.edit_claim(deal, actor="ana", summary="Russia delivers the S-400s Türkiye bought in 2017")
    return {"returned": returned, "f35": f35, "ashgabat": ashgabat, "deal": deal}


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def claims_shots(app: QApplication, tmp: Path) -> None:
    """Claims across articles: two panes with a claim linked across them and the claims dock; the matrix."""
    db = tmp / "claims.db"
    with Store.open(db) as store:
        Importer(store, actor="ana").run([seeds_dir()])
        tag(store)
        claims = link_claims(store)
    settings = WindowSettings(QSettings(str(tmp / "claims.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Store.open(db), "ana", settings)
    window.restore_state()
    window.resize(1800, 960)
    window.show()
    window.annotations.hide()   # room for the panes and the claims dock
    window.resizeDocks([window.article_list], [360], Qt.Orientation.Horizontal)
    window.actions["claims_dock"].trigger()
    window.resizeDocks([window.claims.dock], [640], Qt.Orientation.Horizontal)
    dock = window.claims.dock
    dock.select_claim(claims["returned"], user=True)
    dock.tree.expand(dock.model.claim_index(claims["returned"]))
    settle(app)
    job = dock.suggestions.job
    while job is not None and job.running:
        app.processEvents()
    settle(app)
    # the denial selected in the right pane, linked from the report on the left
    report, denial = window.panes.panes[0], window.panes.panes[1]
    for pane, begin in ((report, "Türkiye plans to return"), (denial, "Kremlin denied a Bloomberg")):
        uid = pane.view.spans_at_offset(pane.view.text.index(begin) + 2)[0].uid
        window.panes.set_current(pane)
        pane.view.select_span(uid, scroll=False)
        window._on_span_selected(pane, uid)
    window.say("Linked to claim #1 “Türkiye asked Russia to take back its S-400 systems” (the second denies)."
               " Ctrl+Z undoes it.")
    settle(app)
    window.grab().save(str(ROOT / "docs" / "claims.png"))

    matrix = window.claims.show_matrix()
    matrix.resize(1000, 270)
    settle(app)
    matrix.grab().save(str(ROOT / "docs" / "claim-matrix.png"))
    matrix.close()
    window.close()


def suggestions_shot(app: QApplication, tmp: Path) -> None:
    """The cue rules' suggestions: ghost spans in the Kremlin's denial, one accepted, one selected; the queue."""
    from annotator.core.suggest_rules import suggest_with_rules

    db = tmp / "suggestions.db"
    with Store.open(db) as store:
        Importer(store, actor="ana").run([seeds_dir()])
        suggest_with_rules(store, actor="ana")
    settings = WindowSettings(QSettings(str(tmp / "suggestions.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Store.open(db), "ana", settings)
    window.restore_state()
    window.resize(1800, 920)
    window.show()
    window.annotations.hide()
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == "000_2fd0f5c64ad6bf09.txt")
    window.panes.set_current(pane)
    pane.view.setFocus()
    pane.view.scroll_to_offset(0)
    window.suggestions.step()                      # the denial sentence: accepted as suggested
    window.suggestions.accept_in_pane()
    window.actions["suggestion_queue"].trigger()   # the most uncertain first: the claim inside it, shown in the pane
    window.resizeDocks([window.article_list, window.suggestions.dock], [380, 540], Qt.Orientation.Horizontal)
    settle(app)
    window.grab().save(str(ROOT / "docs" / "suggestions.png"))
    window.close()


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
        claims_shots(app, Path(tmp))
        suggestions_shot(app, Path(tmp))
    print("wrote docs/screenshot.png, docs/screenshot-dark.png, docs/compare.png, docs/claims.png,"
          " docs/claim-matrix.png and docs/suggestions.png")


if __name__ == "__main__":
    main()
