"""Light and dark: the View toggle, the system's scheme, and marks that stay legible in both."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from annotator.gui import theme
from annotator.gui.main_window import MainWindow
from annotator.gui.settings import WindowSettings

from .helpers import find, press


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def tint_and_underline(pane) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The tint's alpha and the underline's lightness of the first span drawn in the pane's first line."""
    ranges = pane.view.document().findBlockByNumber(0).layout().formats()   # kept: the formats live in it
    fmt = ranges[0].format
    return fmt.background().color().alpha(), fmt.underlineColor().lightness()


def test_dark_theme_from_the_view_menu_and_back(qtbot, window: MainWindow, settings: WindowSettings) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    find(pane, "Kremlin")
    press(qtbot, pane, Qt.Key.Key_1)
    light_alpha, light_underline = tint_and_underline(pane)
    assert not theme.current().dark
    window.actions["dark_theme"].trigger()
    try:
        t = theme.current()
        assert t.dark and window.colour_scheme == "dark"
        assert not window.actions["follow_system_scheme"].isChecked()
        assert t.pane in QApplication.instance().styleSheet()
        # the span is drawn again, with a stronger tint and a lighter underline than on light paper
        dark_alpha, dark_underline = tint_and_underline(pane)
        assert dark_alpha > light_alpha and dark_underline > light_underline
        # text and the label marks stand out from the paper in both schemes
        for scheme in (theme.LIGHT, theme.DARK):
            paper = QColor(scheme.pane)
            assert contrast(QColor(scheme.text), paper) >= 7
            for style in window.styles:
                assert contrast(scheme.ink(style.colour, 130), paper) >= 1.9, (scheme.name, style.name)
        window.save_state()
        assert settings.options().colour_scheme == "dark"
    finally:
        window.actions["follow_system_scheme"].trigger()
    assert window.colour_scheme == "system" and theme.current() is theme.resolve("system")


def test_a_saved_scheme_comes_back_at_start(qtbot, make_window, db_path: Path, settings: WindowSettings) -> None:  # type: ignore[no-untyped-def]
    options = settings.options()
    options.colour_scheme = "dark"
    settings.save_options(options)
    window = make_window(db_path)
    try:
        assert theme.current().dark and window.actions["dark_theme"].isChecked()
    finally:
        window.set_colour_scheme("system")


def _over(tint: QColor, paper: QColor) -> QColor:
    """What a translucent tint looks like on the paper."""
    a = tint.alphaF()
    return QColor.fromRgbF(*(a * t + (1 - a) * p for t, p in
                             ((tint.redF(), paper.redF()), (tint.greenF(), paper.greenF()),
                              (tint.blueF(), paper.blueF()))))


def test_rejected_spans_stay_readable_in_both_schemes(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA4-5: in the dark scheme a rejected denial was light-grey struck text on a mid-blue tint, far below the
    contrast of the rest. A rejected span of every label reads at least as well as WCAG AA asks (4.5:1)."""
    from annotator.core.store import Store

    with Store.open(db_path) as store:
        article = next(a for a in store.articles() if a.origin == "000_2fd0f5c64ad6bf09.txt")
        for i, label in enumerate(store.labels()):
            span = store.add_annotation(article.id, 20 * i, 20 * i + 10, label.name, annotator="ana")
            store.set_status(span.uid, "rejected", actor="rita", reason="not a denial of the claim")
    window = make_window(db_path)
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == "000_2fd0f5c64ad6bf09.txt")
    try:
        for scheme in ("light", "dark"):
            window.set_colour_scheme(scheme)
            QApplication.processEvents()
            paper = QColor(theme.current().pane)
            ranges = pane.view.document().findBlockByNumber(0).layout().formats()   # kept: the formats live in it
            pieces = [r.format for r in ranges]
            assert len(pieces) == len(list(window.styles)) and all(f.fontStrikeOut() for f in pieces)
            for fmt in pieces:
                text = fmt.foreground().color() if fmt.hasProperty(fmt.Property.ForegroundBrush) \
                    else QColor(theme.current().text)
                assert contrast(text, _over(fmt.background().color(), paper)) >= 4.5, scheme
    finally:
        window.set_colour_scheme("system")


def test_the_dock_holding_the_keyboard_is_marked_as_a_pane_is_in_both_schemes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA4-24: after F6 into the Articles list, a 1 px light frame was the only cue in the dark scheme, and focus in
    the Annotations table showed nothing. The dock holding the keyboard gets the focused pane's colours."""
    docks = (window.article_list, window.annotations)

    def title(dock) -> QColor:  # type: ignore[no-untyped-def]
        QApplication.processEvents()
        return QColor(dock.grab().toImage().pixel(dock.width() // 2, 4))   # the title bar's own paper

    try:
        for scheme in ("dark", "light"):
            window.set_colour_scheme(scheme)
            t = theme.current()
            pane = window.panes.panes[0]
            pane.view.setFocus()
            qtbot.waitUntil(pane.view.hasFocus)
            assert [title(d).name() for d in docks] == [QColor(t.dock_title).name()] * 2   # nothing marked
            for dock, target in ((window.article_list, window.article_list.table),
                                 (window.annotations, window.annotations.table)):
                target.setFocus(Qt.FocusReason.TabFocusReason)
                qtbot.waitUntil(target.hasFocus)
                marked = [title(d).name() == QColor(t.focus_header).name() for d in docks]
                assert marked == [d is dock for d in docks], (scheme, dock.objectName())
                body = dock.widget().geometry()   # and its edge, as the active pane's, in the pane's blue
                edge = QColor(dock.grab().toImage().pixel(body.left() + 1, body.center().y()))
                assert edge.name() == QColor(t.active_edge).name()
            assert contrast(QColor(t.active_edge), QColor(t.window)) >= 3
    finally:
        window.set_colour_scheme("system")
