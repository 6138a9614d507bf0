"""Errors the core raises; each message is written for the user, one line."""


class AnnotatorError(Exception):
    """Base class: something the user should be told about, without a traceback."""


class DatabaseError(AnnotatorError):
    """The database cannot be used (corrupt, newer, unreadable)."""


class NotADatabaseError(DatabaseError):
    pass


class NewerDatabaseError(DatabaseError):
    pass


class EmptyDatabaseError(NotADatabaseError):
    """The file is there but holds nothing (0 bytes): never an annotator database, often one something emptied."""


class WriteError(DatabaseError):
    """A write failed for a reason of the database or the disk, not of the data written.

    The disk is full, the file cannot be written, another program holds the
    lock, the file is damaged: whatever the caller was writing, nothing of it
    was saved, and going on with the next record would not help. ``reason``
    says the cause alone ("the disk holding x.db is full"), for a caller that
    words the outcome itself ("...; nothing was imported").
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class ReadOnlyError(WriteError):
    """A write was asked of a database that cannot be written."""


class BusyError(WriteError):
    """Another program holds the database's write lock, and waiting for it was not asked for (or gave up)."""


class DamagedError(WriteError):
    """The file is not what was opened any more (damaged, truncated, replaced): nothing more is written to it."""


class SpanError(AnnotatorError):
    """A span that breaks the rules (bounds, or text that does not match)."""


class DuplicateSpanError(SpanError):
    """The annotator has tagged exactly these characters with this label already; ``uid`` is that span."""

    def __init__(self, message: str, uid: str) -> None:
        super().__init__(message)
        self.uid = uid


class UidError(AnnotatorError):
    """A uid that could be mistaken for a path, an option or a formula (see ``model.uid_problem``)."""


class NotFoundError(AnnotatorError):
    pass


class LabelError(AnnotatorError):
    pass


class ImportFileError(AnnotatorError):
    """A whole input file cannot be read."""


class FormatError(AnnotatorError):
    """An unknown or unavailable interchange format."""


class FieldError(AnnotatorError):
    """A value that is not what its field takes (a date, a web address)."""


class ClaimError(AnnotatorError):
    """A claim or link operation that breaks the rules."""


class Cancelled(AnnotatorError):
    """The user stopped a long job (agreement, verify) before it finished; nothing was changed."""


class ArticleError(AnnotatorError):
    """An article operation that breaks the rules (restoring a text that is here again)."""
