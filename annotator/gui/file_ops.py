"""The File menu's work: import with progress and a report, export, the sample articles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from ..core.paths import seeds_dir
from ..core.words import count
from .dialogs import ImportReportDialog
from .jobs import Job, run_with_progress
from .session import AnnotationSession
from .settings import WindowSettings

if TYPE_CHECKING:
    from ..core.importer import ImportReport

# The import and export machinery (every format) loads on first use, not at start-up.


def _clock() -> str:
    import time

    return time.strftime("%H:%M:%S")


def import_filter() -> str:
    """The file dialog's choices: every format the importer reads, then each on its own (from the registry)."""
    from ..core import formats

    readable = formats.import_formats()
    extensions = sorted({ext for f in readable for ext in f.extensions})
    each = [f"{f.name} — {f.description} ({' '.join('*' + e for e in f.extensions)})" for f in readable]
    return ";;".join([f"Articles ({' '.join('*' + e for e in extensions)})", *each, "All files (*)"])


def import_tip() -> str:
    """What File > Import reads, from the format registry: a format added there is named here by itself."""
    from ..core import formats

    return "Import articles (with their spans, where the file has them): " + "; ".join(
        f"{f.name} {' '.join(f.extensions)}" for f in formats.import_formats())


class FileOperations(QObject):
    message = Signal(str)
    failed = Signal(str)
    imported = Signal(object)   # ImportReport
    wrote = Signal()            # the database was written on another connection: reload what is shown

    def __init__(self, session: AnnotationSession, settings: WindowSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.parent_widget = parent
        self.show_reports = True
        self.export_report: QDialog | None = None   # the last export's warnings, in full

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

    def import_paths(self, paths: Sequence[Path], encoding: str | None = None) -> Job:
        """Import in a worker behind a progress dialog; its one transaction keeps edits waiting meanwhile.

        ``encoding`` reads every text file that way instead of as UTF-8 or by a guess (the report
        offers it when a file was refused as not UTF-8 or read by a guess).
        """
        from ..core.importer import Importer

        actor = self.session.annotator
        job = Job("Import", lambda store, progress: Importer(store, actor=actor, encoding=encoding).run(
            paths, progress=progress), self.session.store)
        job.succeeded.connect(lambda report: self._imported(report, list(paths), encoding))
        job.failed.connect(lambda message: self.failed.emit(f"Import failed, nothing was imported: {message}"))
        run_with_progress(job, self.parent_widget, modal=True, label="Importing…")
        return job

    def _imported(self, report: ImportReport, paths: list[Path], encoding: str | None = None) -> None:
        said = report.summary()
        if encoding is not None and report.articles_added:
            # The same file read another way is another text, so another article: the first reading stays.
            said += (f" Read as {encoding}. An article read before with another encoding is still there:"
                     " delete it with Edit > Delete Article.")
        self.message.emit(said)
        if report.committed:
            # reload even when nothing was added: the list may lag behind the file
            self.wrote.emit()
            self.session.saved.emit(f"Imported {_clock()}")
        self.imported.emit(report)
        if self.show_reports and (report.problems or not report.ok):
            ImportReportDialog(report, self.parent_widget,
                               again=lambda encoding: self.import_paths(paths, encoding)).open()

    def export(self, open_article_ids: list[int]) -> None:
        from ..core import exporter
        from .export_dialog import ExportDialog, ExportReportDialog

        start = self.settings.folder("export", Path.home())
        dialog = ExportDialog(self.session.store, open_article_ids, start, self.parent_widget)
        if dialog.exec() and dialog.result_info is not None:
            info = dialog.result_info
            if info.path is not None:
                self.settings.remember_folder("export", info.path.parent)
            summary = f"Wrote {exporter.written(info, dialog.format.currentData())} to {info.path}."
            warnings = [*info.warnings, *([info.damaged.summary(), *info.damaged.warnings()] if info.damaged else [])]
            self.message.emit(summary + (f" {count(len(warnings), 'warning')}: see the report." if warnings else ""))
            if warnings and self.show_reports:
                self.export_report = ExportReportDialog(summary, warnings, self.parent_widget)
                self.export_report.open()
