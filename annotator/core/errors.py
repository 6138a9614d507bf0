"""Errors the core raises; each message is written for the user, one line."""


class AnnotatorError(Exception):
    """Base class: something the user should be told about, without a traceback."""


class DatabaseError(AnnotatorError):
    """The database cannot be used (corrupt, newer, unreadable)."""


class NotADatabaseError(DatabaseError):
    pass


class NewerDatabaseError(DatabaseError):
    pass


class ReadOnlyError(DatabaseError):
    """A write was asked of a database that cannot be written."""


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
