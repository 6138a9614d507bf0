"""The File menu's work: import with progress and a report, export, the sample articles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QWidget

from ..core.paths import seeds_dir
from ..core.words import count
from .dialogs import ImportReportDialog
from .session import AnnotationSession
from .settings import WindowSettings

if TYPE_CHECKING:
    from ..core.importer import ImportReport

# The import and export machinery (every format) loads on first use, not at start-up.


def _clock() -> str:
    import time

    return time.strftime("%H:%M:%S")


def import_filter() -> str:
    from ..core import formats

    extensions = sorted({ext for f in formats.import_formats() for ext in f.extensions})
    return f"Articles ({' '.join('*' + e for e in extensions)});;All files (*)"


class FileOperations(QObject):
    message = Signal(str)
    imported = Signal(object)   # ImportReport

    def __init__(self, session: AnnotationSession, settings: WindowSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.parent_widget = parent
        self.show_reports = True

    def import_files(self) -> None:
        start = self.settings.folder("import", Path.home())
        names, _ = QFileDialog.getOpenFileNames(self.parent_widget, "Import articles", str(start), import_filter())
        if names:
            self.settings.remember_folder("import", Path(names[0]).parent)
            self.import_paths([Path(n) for n in names])

    def import_folder(self) -> None:
        start = self.settings.folder("import", Path.home())
        name = QFileDialog.getExistingDirectory(self.parent_widget, "Import a folder of articles", str(start))
        if name:
            # the folder that holds it: the next folder to import is likely its sibling
            self.settings.remember_folder("import", Path(name).parent)
            self.import_paths([Path(name)])

    def load_samples(self) -> None:
        self.import_paths([seeds_dir()])

    def import_paths(self, paths: Sequence[Path]) -> ImportReport:
        progress = QProgressDialog("Importing…", "Cancel", 0, 1, self.parent_widget)
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)  # quick imports never flash a dialog

        def step(done: int, total: int, current: str) -> bool:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            if current:
                progress.setLabelText(f"Importing {Path(current).name}…")
            QApplication.processEvents()
            return not progress.wasCanceled()

        from ..core.importer import Importer

        report = Importer(self.session.store, actor=self.session.annotator).run(paths, progress=step)
        progress.close()
        self.message.emit(report.summary())
        if report.committed:
            # reload even when nothing was added: the list may lag behind the file
            self.session.articlesChanged.emit()
            if report.labels_created:
                self.session.labelsChanged.emit()
            self.session.saved.emit(f"Imported {_clock()}")
        self.imported.emit(report)
        if self.show_reports and (report.problems or not report.ok):
            ImportReportDialog(report, self.parent_widget).open()
        return report

    def export(self, open_article_ids: list[int]) -> None:
        from .export_dialog import ExportDialog

        start = self.settings.folder("export", Path.home())
        dialog = ExportDialog(self.session.store, open_article_ids, start, self.parent_widget)
        if dialog.exec() and dialog.result_info is not None:
            info = dialog.result_info
            if info.path is not None:
                self.settings.remember_folder("export", info.path.parent)
            self.message.emit(f"Wrote {count(info.articles, 'article')} and {count(info.spans, 'span')}"
                              f" to {info.path}.")
            for warning in info.warnings:
                self.message.emit(f"Warning: {warning}")
