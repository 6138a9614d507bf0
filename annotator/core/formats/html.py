"""Saved web pages: the article's text, without menus and boilerplate, via trafilatura.

The stored text is what trafilatura extracts (paragraphs joined by line
breaks); the page's title, site name, date and address become the article's
metadata. Import only: spans in a page have no offsets to keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ImportFileError
from ..hints import MAX_SIZE
from .base import Format, ReadItem, ReadOptions, RecordIn, encoding_remark, optional_str, read_text_file

TAG_COST = 32
# A DOCTYPE with an internal subset (``<!DOCTYPE html [<!ENTITY ...>]>``), which HTML has no
# use for but XML's entity bombs do: lxml's HTML parser ends the DOCTYPE at the first ``>``, so
# the rest of the subset (``]>``) became the page's text and pushed its title out.
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    decoded = read_text_file(path, options)
    yield from encoding_remark(str(path), decoded)
    # Parsed, an element costs a few hundred bytes however short its tag: bound
    # them before lxml builds the tree (a news page has one per 50 bytes or so).
    tags = decoded.text.count("<")
    if tags > max(1024, options.max_bytes // TAG_COST):
        raise ImportFileError(f"{tags:,} tags: more than this size limit allows (one per {TAG_COST} bytes of it, "
                              f"{MAX_SIZE.cli})")
    import trafilatura  # ~0.1 s to import: only when a page is imported

    page = _DOCTYPE_SUBSET.sub("<!DOCTYPE html>", decoded.text, count=1)
    text = trafilatura.extract(page, include_comments=False, include_tables=True,
                               favor_recall=True, deduplicate=False)
    if not text or not text.strip():
        raise ImportFileError("no article text found in this web page")
    meta = trafilatura.extract_metadata(page)
    yield RecordIn(
        text=text, place=str(path), origin=path.name,
        title=optional_str(meta.title) if meta else None,
        source=optional_str(meta.sitename) if meta else None,
        published=optional_str(meta.date) if meta else None,
        url=optional_str(meta.url) if meta else None,
    )


FORMAT = Format(
    name="html",
    description="a saved web page: the article text, without menus and boilerplate",
    extensions=(".html", ".htm", ".xhtml"),
    read=read,
)
