"""W3C Web Annotation (JSON-LD): one annotation per span.

The file is an ``AnnotationCollection`` whose page holds one ``Annotation``
per span: the label as a ``TextualBody`` with purpose ``tagging``, the note
as one with purpose ``commenting``, a review decision (accepted, rejected) as
one with purpose ``assessing``; the target is the article (``urn:uuid:`` of
its uid) with a ``TextQuoteSelector`` (exact, 32 characters of prefix and
suffix) and a ``TextPositionSelector``; ``creator``, ``created`` and
``modified`` say who and when. The annotation's ``id`` is ``urn:uuid:`` of
the span's uid.

The model counts positions in characters, that is code points, and so does
this writer. Browser tools (Hypothesis and others) count UTF-16 units, so on
import a position that does not match the quote is read as UTF-16 too, and
an annotation with a quote but no position is anchored where its quote
(with prefix and suffix) occurs exactly once.

The annotated texts travel in the same file, once each, under ``documents``
(a key outside the W3C context, which JSON-LD tools ignore), so the file
imports into an empty database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import ImportFileError
from ..model import new_uid, now_iso
from ..words import count
from .base import (
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    ShapeError,
    SpanIn,
    article_fields,
    as_list,
    guarded,
    has_json_key,
    json_prefix,
    kind,
    load_json,
    optional_str,
    uuid_or_none,
)

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32
_REVIEWED = ("accepted", "rejected")


def _iri(uid: str) -> str:
    return f"urn:uuid:{uid}"


def _annotation(record: dict[str, Any], span: dict[str, Any]) -> dict[str, Any]:
    text, start, end = record["text"], span["start"], span["end"]
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": span["label"]}]
    if span["note"]:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": span["note"]})
    if span["status"] in _REVIEWED:
        # The verdict, by whom and when (a body's own creator and time); its reason, if any, a second assessment.
        verdict: dict[str, Any] = {"type": "TextualBody", "purpose": "assessing", "value": span["status"]}
        if span.get("reviewer"):
            verdict["creator"] = {"type": "Person", "name": span["reviewer"]}
        if span.get("reviewed_at"):
            verdict["created"] = span["reviewed_at"]
        body.append(verdict)
        if span.get("review_note"):
            body.append({"type": "TextualBody", "purpose": "assessing", "value": span["review_note"]})
    return {
        "id": _iri(span["uid"]),
        "type": "Annotation",
        "motivation": "classifying",
        "creator": {"type": "Person", "name": span["annotator"]},
        "created": span["created_at"],
        "modified": span["updated_at"],
        "body": body,
        "target": {
            "source": _iri(record["uid"]),
            "selector": [
                {"type": "TextQuoteSelector", "exact": span["text"],
                 "prefix": text[max(0, start - QUOTE_CONTEXT):start], "suffix": text[end:end + QUOTE_CONTEXT]},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def _document(record: dict[str, Any]) -> dict[str, Any]:
    doc = {"id": _iri(record["uid"]), "type": "Text", "format": "text/plain", "title": record["title"],
           "value": record["text"]}
    for key in ("source", "url", "published"):
        if record[key] is not None:
            doc[key] = record[key]
    return doc


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> None:
    # Written as it goes: the annotations first, the documents (kept aside,
    # one per article) after them, and the count last.
    documents = []
    total = 0
    out.write(orjson.dumps({"@context": CONTEXT, "id": _iri(new_uid()), "type": "AnnotationCollection",
                            "label": "annotator export", "generated": now_iso()})[:-1])
    out.write(b',"first":{"type":"AnnotationPage","startIndex":0,"items":[')
    for record in records:
        documents.append(_document(record))
        for span in record["spans"]:
            if total:
                out.write(b",\n")
            out.write(orjson.dumps(_annotation(record, span)))
            total += 1
    out.write(b"]},\n\"total\":" + str(total).encode() + b",\n\"documents\":[")
    for i, doc in enumerate(documents):
        if i:
            out.write(b",\n")
        out.write(orjson.dumps(doc))
    out.write(b"]}\n")


def detect(path: Path) -> bool:
    head = json_prefix(path)
    return has_json_key(head, "@context") or '"Annotation' in head and has_json_key(head, "target")


# -------------------------------------------------------------------- reading

def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    data = load_json(path, options)
    annotations, documents = _unpack(data)
    records: dict[str, RecordIn] = {}
    for i, doc in enumerate(documents):
        place = f"{path} documents[{i}]"
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not isinstance(doc.get("value"), str):
            yield Problem(place, "a document needs an 'id' and a 'value' that are strings; not imported")
            continue
        try:
            records[doc["id"]] = RecordIn(
                text=doc["value"], place=f"{path} {doc['id'][:200]}", origin=path.name, uid=uuid_or_none(doc["id"]),
                utf16_fallback=True, span_limit=options.span_limit, **article_fields(doc),
            )
        except ShapeError as exc:
            yield Problem(place, f"{exc}; not imported")
    for i, annotation in enumerate(annotations):
        place = f"{path} annotation[{i}]"
        yield from guarded(place, _spans(annotation, place, records))
    yield from records.values()


def _unpack(data: Any) -> tuple[list[Any], list[Any]]:
    """The annotations and embedded documents of a collection, a page, a list or one annotation."""
    if isinstance(data, list):
        return data, []
    if not isinstance(data, dict):
        raise ImportFileError(f"expected a Web Annotation JSON object or a list of annotations, found {kind(data)}")
    documents = as_list(data.get("documents"), "'documents'")
    kind_ = data.get("type")
    if kind_ == "Annotation" or "target" in data:
        return [data], documents
    items: list[Any] = []
    page = data.get("first", data) if kind_ != "AnnotationPage" else data
    seen: set[int] = set()
    while isinstance(page, dict) and id(page) not in seen:
        seen.add(id(page))
        items.extend(as_list(page.get("items"), "a page's 'items'"))
        page = page.get("next") if isinstance(page.get("next"), dict) else None
    if not items and kind_ not in ("AnnotationCollection", "AnnotationPage"):
        raise ImportFileError("not a Web Annotation file (no Annotation, AnnotationPage or AnnotationCollection)")
    return items, documents


def _spans(annotation: Any, place: str, records: dict[str, RecordIn]) -> Iterator[Problem]:
    if not isinstance(annotation, dict):
        yield Problem(place, f"an annotation must be a JSON object, found {kind(annotation)}")
        return
    target = annotation.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            yield Problem(place, f"{count(len(target), 'target')}; spans here have exactly one, not imported")
            return
        target = target[0]
    if not isinstance(target, dict):
        yield Problem(place, "the target names no selector (the whole document is not a span)")
        return
    source = target.get("source")
    record = records.get(source) if isinstance(source, str) else None
    if record is None:
        shown = source[:80] if isinstance(source, str) else source if source is None else kind(source)
        yield Problem(place, f"no text for {shown!r} in this file (its 'documents' do not hold it); not imported")
        return
    quote, position = _selectors(target.get("selector"))
    if quote is None and position is None:
        yield Problem(place, "neither a TextQuoteSelector nor a TextPositionSelector; not imported")
        return
    exact = quote.get("exact") if quote else None
    if position is not None:
        start, end = position.get("start"), position.get("end")
    else:
        found = _anchor(record.text, quote or {})
        if found is None:
            yield Problem(place, f"the quote {str(exact)[:40]!r} does not occur exactly once in the text; not imported")
            return
        start, end = found
    bodies = annotation.get("body")
    if bodies is None:
        bodies = annotation.get("bodyValue")
    bodies = bodies if isinstance(bodies, list) else [] if bodies is None else [bodies]
    said = _Bodies()
    yield from _read_bodies(bodies, place, said)
    if not said.labels:
        yield Problem(place, "no label (a body with purpose 'tagging'); not imported")
        return
    annotator = _creator(annotation.get("creator"))
    created = optional_str(annotation.get("created"), "created")
    modified = optional_str(annotation.get("modified"), "modified")
    for k, label in enumerate(said.labels):
        record.add_span(SpanIn(
            start=start, end=end, label=label, place=place, text=exact if isinstance(exact, str) else None,
            uid=uuid_or_none(annotation.get("id")) if k == 0 else None, annotator=annotator, note=said.note,
            status=said.status, created_at=created, updated_at=modified, reviewer=said.reviewer,
            reviewed_at=said.reviewed_at, review_note=said.reason,
        ))


@dataclass
class _Bodies:
    """What an annotation's bodies say: its labels, its note, and a review (verdict, by whom, when, why)."""

    labels: list[str] = field(default_factory=list)
    note: str = ""
    status: str = "pending"
    reviewer: str | None = None
    reviewed_at: str | None = None
    reason: str = ""


def _read_bodies(bodies: list[Any], place: str, said: _Bodies) -> Iterator[Problem]:
    """Fill ``said`` from the bodies, in order; a body that has no place here is reported."""
    for body in bodies:
        if isinstance(body, str):
            value, purpose = body, "tagging"
        elif isinstance(body, dict):
            value, purpose = body.get("value"), body.get("purpose")
        else:
            yield Problem(place, f"a body that is {kind(body)}, neither text nor an object; not imported")
            continue
        if not isinstance(value, str):
            yield Problem(place, "a body that is not text (a linked resource) has no place here; not imported")
        elif purpose in ("tagging", "classifying", None):
            said.labels.append(value)
        elif purpose == "commenting":
            said.note = f"{said.note}\n{value}" if said.note else value
        elif purpose == "assessing" and value in _REVIEWED and said.status == "pending":
            said.status = value
            assert isinstance(body, dict)
            said.reviewer = _creator(body.get("creator"))
            said.reviewed_at = optional_str(body.get("created"), "created")
        elif purpose == "assessing" and said.status != "pending":
            said.reason = f"{said.reason}\n{value}" if said.reason else value   # the verdict's reason, after it
        else:
            yield Problem(place, f"a body with purpose {str(purpose)[:40]!r} has no place here; not imported")


def _creator(creator: Any) -> str | None:
    """The name of an annotation's (or a body's) creator: a Person object, a list of them, or a bare name."""
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    return (optional_str(creator.get("name") or creator.get("nickname"), "creator.name")
            if isinstance(creator, dict) else optional_str(creator, "creator"))


def _selectors(selector: Any, depth: int = 0) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    selectors = selector if isinstance(selector, list) else [selector]
    quote = position = None
    for s in selectors:
        if not isinstance(s, dict):
            continue
        if s.get("type") == "TextQuoteSelector":
            quote = s
        elif s.get("type") == "TextPositionSelector":
            position = s
        elif isinstance(s.get("refinedBy"), dict) and depth < 16:  # real files refine once or twice
            q, p = _selectors(s["refinedBy"], depth + 1)
            quote, position = quote or q, position or p
    return quote, position


def _anchor(text: str, quote: dict[str, Any]) -> tuple[int, int] | None:
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact:
        return None
    prefix, suffix = (v if isinstance(v, str) else "" for v in (quote.get("prefix"), quote.get("suffix")))
    needle = f"{prefix}{exact}{suffix}"
    first = text.find(needle)
    if first < 0 or text.find(needle, first + 1) >= 0:
        return None
    start = first + len(prefix)
    return start, start + len(exact)


FORMAT = Format(
    name="webanno",
    description="W3C Web Annotation JSON-LD: one annotation per span, quote and position selectors (code points)",
    extensions=(".jsonld", ".json"),
    read=read,
    write=write,
    suffix=".jsonld",
    detect=detect,
    carries_status=True,
)
