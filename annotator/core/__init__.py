"""The Qt-free core: model, store, text, import, export. Imports no PySide6."""
