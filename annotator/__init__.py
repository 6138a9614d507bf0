"""annotator: span annotation of news articles for fact-checkers."""

__version__ = "0.1.0"
