"""The PySide6 front end: a thin layer over annotator.core."""
