"""The native JSONL carries everything the README says: every annotation field, links, claims, labels, guidelines.

A database built with every field set (review verdicts with their reviewer,
time and reason; notes; links in every role; claims with every field; a label
set and guidelines of its own) is exported, imported into an empty database
and exported again: every value of every row is the same, and a merge of the
re-imported copy back into the original finds nothing to decide.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import audit, exporter
from annotator.core.claims import ROLES
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.store import Store

WORDS = ["Türkiye", "asked", "Russia", "😀", "S-400", "denied", "שלום", "e\u0301", "report", "\t", "back"]
PEOPLE = ["ana", "bo", "Çelik", "李"]
NOTES = ["", "check the original", "multi\nline", "=1+1"]


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    articles = []
    for i in range(draw(st.integers(1, 3))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=12))
        text = f"{i} " + " ".join(words)
        spans = []
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            spans.append({
                "start": start, "end": end, "label": draw(st.sampled_from(["claim", "denial", "background", "rumour"])),
                "annotator": draw(st.sampled_from(PEOPLE)), "note": draw(st.sampled_from(NOTES)),
                "status": draw(st.sampled_from(["pending", "accepted", "rejected"])),
                "reviewer": draw(st.sampled_from(PEOPLE)), "reason": draw(st.sampled_from(NOTES)),
            })
        articles.append({"text": text, "title": f"Article {i}", "source": draw(st.sampled_from([None, "Wire"])),
                         "url": draw(st.sampled_from([None, f"https://news.example/{i}"])),
                         "published": draw(st.sampled_from([None, "2025-12-15", "2025-12-16T09:30:00Z"])),
                         "spans": spans})
    claims = [{"summary": draw(st.sampled_from(["Türkiye returns the S-400s", "A second claim"])),
               "claimant": draw(st.sampled_from(["", "Bloomberg, citing sources"])),
               "date": draw(st.sampled_from([None, "2025-12-15"])),
               "verdict": draw(st.sampled_from([None, "false", "unproven"])),
               "explanation": draw(st.sampled_from(["", "Denied by both governments."])),
               "url": draw(st.sampled_from([None, "https://factcheck.example/s400"])),
               "roles": draw(st.lists(st.sampled_from([None, *ROLES]), min_size=1, max_size=3))}
              for _ in range(draw(st.integers(0, 2)))]
    guidelines = draw(st.sampled_from(["", "# How we tag\n\nBe kind."]))
    return {"articles": articles, "claims": claims, "guidelines": guidelines}


def _build(project: dict[str, Any]) -> Store:
    store = Store.memory()
    store.add_label("rumour", "#CC79A7", "4", "Said, not shown.", actor="lead")
    store.set_guidelines(project["guidelines"], actor="lead")
    spans = []
    for a in project["articles"]:
        article, _ = store.add_article(a["text"], title=a["title"], source=a["source"], url=a["url"],
                                       published=a["published"], actor="lead")
        for s in a["spans"]:
            try:
                span = store.add_annotation(article.id, s["start"], s["end"], s["label"], annotator=s["annotator"])
            except Exception:
                continue   # the same span twice: one is enough
            if s["note"]:
                span = store.set_note(span.uid, s["note"], actor=s["annotator"])
            if s["status"] != "pending":
                span = store.set_status(span.uid, s["status"], actor=s["reviewer"], reason=s["reason"])
            spans.append(span)
    for c in project["claims"]:
        uid = store.create_claim(c["summary"], claimant=c["claimant"], claim_date=c["date"], review_url=c["url"],
                                 actor="ana").claim_uid
        assert uid is not None
        if c["verdict"]:
            store.set_verdict(uid, c["verdict"], c["explanation"], actor="rita")
        for span, role in zip(spans, c["roles"], strict=False):
            store.link_spans([span.uid], claim_uid=uid, role=role, actor="bo")
    return store


def _export(store: Store) -> bytes:
    out = io.BytesIO()
    exporter.export(store, "jsonl", out)
    return out.getvalue()


def _everything(store: Store) -> dict[str, Any]:
    """Every value of every row a JSONL export should carry, keyed so that two databases compare."""
    uid_of = {a.id: a.uid for a in store.articles()}
    return {
        "articles": sorted((a.uid, a.title, a.source, a.url, a.published, a.sha256, store.article_text(a.id))
                           for a in store.articles()),
        "annotations": sorted((a.uid, uid_of[a.article_id], a.start, a.end, a.label, a.text, a.annotator, a.note,
                               a.status, a.created_at, a.updated_at, a.reviewer, a.reviewed_at, a.review_note)
                              for a in store.annotations()),
        "links": sorted((k.span_uid, k.claim_uid, k.role, k.created_by, k.created_at) for k in store.links()),
        "claims": sorted((c.uid, c.summary, c.claimant, c.claim_date, c.verdict, c.explanation, c.review_url,
                          c.reviewed_by, c.reviewed_at, c.created_by, c.created_at, c.updated_at)
                         for c in store.claims()),
        "labels": [(label.name, label.colour, label.shortcut, label.description, label.position)
                   for label in store.labels()],
        "guidelines": store.guidelines(),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(project=projects())
def test_every_field_survives_export_and_import(tmp_path: Path, project: dict[str, Any]) -> None:
    original = _build(project)
    first = _export(original)
    path = tmp_path / "all.jsonl"
    path.write_bytes(first)
    copy = Store.memory()
    report = Importer(copy, actor="someone else").run([path])
    assert report.ok and not report.problems, [str(p) for p in report.problems]
    assert _everything(copy) == _everything(original)
    assert _export(copy) == first
    assert audit.verify(copy).ok


def test_a_rejected_span_keeps_its_reviewer_time_and_reason(tmp_path: Path) -> None:
    store = Store.memory()
    article, _ = store.add_article("Kremlin denied the report.", title="t", actor="lead")
    span = store.add_annotation(article.id, 0, 14, "denial", annotator="ana")
    rejected = store.set_status(span.uid, "rejected", actor="rita", reason="it is a quote, not a denial")
    path = tmp_path / "r.jsonl"
    path.write_bytes(_export(store))
    copy = Store.memory()
    Importer(copy, actor="bo").run([path])
    back = copy.annotation(span.uid)
    assert (back.status, back.reviewer, back.reviewed_at, back.review_note) == (
        "rejected", "rita", rejected.reviewed_at, "it is a quote, not a denial")
    history = audit.annotation_history(copy, span.uid).entries
    assert any(c.field == "review_note" and c.after == "it is a quote, not a denial"
               for e in history for c in e.changes)


def test_merging_a_re_imported_copy_back_finds_nothing_to_decide(tmp_path: Path) -> None:
    """The copy's events are new (an import), yet every version in it is one this side holds: no conflict."""
    mine = Store.open(tmp_path / "mine.db")
    _fill(mine)
    path = tmp_path / "out.jsonl"
    path.write_bytes(_export(mine))
    with Store.open(tmp_path / "theirs.db") as theirs:
        Importer(theirs, actor="bo").run([path])
    report = merge_database(mine, tmp_path / "theirs.db", actor="lead")
    assert report.conflicts == () and report.claim_conflicts == ()
    assert audit.verify(mine).ok
    mine.close()


def _fill(store: Store) -> None:
    article, _ = store.add_article("Kremlin denied a Bloomberg report that Erdogan raised the S-400s.", title="t",
                                   url="https://news.example/1", published="2025-12-15", actor="lead")
    denial = store.add_annotation(article.id, 0, 14, "denial", annotator="ana")
    claim = store.add_annotation(article.id, 48, 64, "claim", annotator="ana")
    store.set_note(claim.uid, "check the original", actor="ana")
    store.set_status(denial.uid, "rejected", actor="rita", reason="check Bloomberg original")
    store.set_status(claim.uid, "accepted", actor="rita")
    uid = store.link_spans([claim.uid, denial.uid], actor="ana").claim_uid
    assert uid is not None
    store.edit_claim(uid, claimant="Bloomberg", claim_date="2025-12-14", actor="ana")
    store.set_verdict(uid, "false", "Denied by both.", actor="rita")
