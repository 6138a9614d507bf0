"""Values arriving by import or merge pass the checks the app's own dialogs apply; exports never pass junk on.

The article details dialog and ``annotator article set`` refuse ``javascript:``
addresses and "next tuesday" as a date (``check_url``, ``check_date``). The
same values in a file, or in a colleague's database, are dropped (the record
kept) with a remark naming the place and the value; and whatever an older
database holds, no export writes them.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from dataclasses import replace
from pathlib import Path

import orjson

from annotator.core import audit, exporter, formats
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.model import now_iso
from annotator.core.store import NewEvent, Store

BAD_URL, BAD_DATE = "javascript:alert(1)", "next tuesday"


def _lines(path: Path, *values: object) -> Path:
    path.write_bytes(b"".join(orjson.dumps(v) + b"\n" for v in values))
    return path


def test_bad_article_details_are_dropped_and_said_with_their_place(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text('title,text,published,url\nCSV two,"Türkiye said no.",not-a-date,https://ok.example/a\n',
                   encoding="utf-8")
    jsonl = _lines(tmp_path / "b.jsonl", {"text": "Another article.", "published": BAD_DATE, "url": BAD_URL})
    store = Store.memory()
    report = Importer(store, actor="ana").run([csv, jsonl])
    assert report.ok and report.articles_added == 2
    by_title = {a.title: a for a in store.articles()}
    assert (by_title["CSV two"].published, by_title["CSV two"].url) == (None, "https://ok.example/a")
    assert (by_title["Another article."].published, by_title["Another article."].url) == (None, None)
    remarks = [str(p) for p in report.remarks]
    assert any(r.startswith(f"{csv}:2: ") and "'not-a-date'" in r and "dropped" in r for r in remarks)
    assert any(r.startswith(f"{jsonl}:1: ") and repr(BAD_URL) in r for r in remarks)
    assert any(r.startswith(f"{jsonl}:1: ") and repr(BAD_DATE) in r for r in remarks)
    assert audit.verify(store).ok


def test_claim_lines_keep_the_claim_and_drop_each_bad_field(tmp_path: Path) -> None:
    text = "Turkey asked Russia to take back its S-400 systems."
    path = _lines(tmp_path / "c.jsonl",
                  {"text": text, "spans": [{"uid": "s1", "start": 0, "end": 6, "label": "claim",
                                            "links": [{"claim": "c1", "role": "states", "created_at": "yesterday",
                                                       "created_by": "b\u043eb"}]}]},
                  {"claim": {"uid": "c1", "summary": "Turkey returns  the S-400", "claimant": "Bloomberg\nsources",
                             "claim_date": BAD_DATE, "review_url": BAD_URL, "verdict": "false",
                             "explanation": "  Denied.  ", "reviewed_by": "r\u0456ta", "reviewed_at": "soon",
                             "created_at": "long ago", "created_by": "ana"}})
    store = Store.memory()
    report = Importer(store, actor="imp").run([path])
    assert report.ok and (report.claims_added, report.links_added) == (1, 1)
    claim = store.claim("c1")
    assert (claim.summary, claim.claimant, claim.claim_date, claim.review_url, claim.verdict, claim.explanation) == (
        "Turkey returns the S-400", "Bloomberg sources", None, None, "false", "Denied.")
    assert claim.reviewed_by is None and claim.reviewed_at is None and claim.created_at != "long ago"
    link = store.link("s1", "c1")
    assert link.created_by == "imp" and link.created_at != "yesterday"
    remarks = " | ".join(str(p) for p in report.remarks)
    for value in (BAD_DATE, BAD_URL, "soon", "long ago", "yesterday", "b\u043eb", "r\u0456ta"):
        assert repr(value) in remarks, value
    assert audit.verify(store).ok


def test_span_times_and_names_that_pass_for_no_one_are_dropped(tmp_path: Path) -> None:
    path = _lines(tmp_path / "s.jsonl", {"text": "Kremlin denied it.", "spans": [
        {"start": 0, "end": 7, "label": "claim", "annotator": "\u0430na", "created_at": "tuesday",
         "status": "rejected", "reviewer": "rita", "reviewed_at": "later", "review_note": "a quote"}]})
    store = Store.memory()
    report = Importer(store, actor="imp").run([path])
    (span,) = store.annotations()
    assert (span.annotator, span.status, span.reviewer, span.reviewed_at, span.review_note) == (
        "unknown", "rejected", "rita", None, "a quote")
    assert span.created_at != "tuesday"
    remarks = " | ".join(str(p) for p in report.remarks)
    assert "'\u0430na'" in remarks and "'tuesday'" in remarks and "'later'" in remarks
    assert f"{path}:1 span[0]" in remarks


def test_a_guidelines_label_keeps_its_name_and_loses_a_bad_colour(tmp_path: Path) -> None:
    path = _lines(tmp_path / "g.jsonl", {"guidelines": {"text": "", "labels": [
        {"name": "claim", "colour": "#E69F00", "shortcut": "1"},
        {"name": "quote", "colour": "red; background: url(x)", "shortcut": "H", "description": "Said.\x1b"}]}})
    store = Store.memory()
    report = Importer(store, actor="imp").run([path])
    quote = store.label("quote")
    assert (quote.colour, quote.shortcut, quote.description) == ("#D55E00", "", "")
    assert len(report.remarks) == 3 and report.ok


def _junk_database(path: Path) -> Store:
    """A database as an older version left it: junk in every checked field, each written with its event.

    Its log verifies (the junk came in through an import that did not check),
    so a merge takes it as a colleague's honest database.
    """
    store = Store.open(path)
    text = "Bloomberg reported that Türkiye asked Russia to take back the S-400s."
    with store.transaction():
        article = store.insert_article_row(text, uid="a1", sha256=hashlib.sha256(text.encode()).hexdigest(),
                                           title="Report", source="Wire", url=BAD_URL, published=BAD_DATE,
                                           origin="old.jsonl", created_at=now_iso())
        store.append_events([NewEvent("import", "article", "a1", None, {
            "title": "Report", "source": "Wire", "url": BAD_URL, "published": BAD_DATE, "origin": "old.jsonl",
            "sha256": article.sha256}, "ana")])
        for key, value in (("organisation", "Fact Desk"), ("organisation_url", BAD_URL),
                           ("review_url", "https://factcheck.example/")):
            store.write_setting_row(key, value)
            store.append_events([NewEvent("set", "setting", key, None, {"value": value}, "ana")])
    span = store.add_annotation(article.id, 0, 9, "claim", annotator="ana")
    uid = store.link_spans([span.uid], actor="ana").claim_uid
    assert uid is not None
    store.set_verdict(uid, "false", actor="rita")
    with store.transaction():
        claim = store.claim(uid)
        store.insert_claim_rows([replace(claim, claim_date=BAD_DATE, review_url=BAD_URL)], overwrite=True)
        store.append_events([NewEvent("edit", "claim", uid, {"claim_date": None, "review_url": None},
                                      {"claim_date": BAD_DATE, "review_url": BAD_URL}, "ana")])
    assert audit.verify(store).ok
    return store


def test_no_export_passes_on_what_the_database_should_never_have_held(tmp_path: Path) -> None:
    """Every format, the files it writes read back whole (a brat folder, Parquet's pair, a DocBin)."""
    store = _junk_database(tmp_path / "old.db")
    for fmt in formats.export_formats():
        if not fmt.available:
            continue
        folder = tmp_path / fmt.name
        folder.mkdir()
        exporter.export(store, fmt.name, folder / f"out{fmt.suffix}" if fmt.suffix else folder / "out")
        written = b"".join(f.read_bytes() for f in folder.rglob("*") if f.is_file())
        assert written, fmt.name
        assert BAD_URL.encode() not in written and BAD_DATE.encode() not in written, fmt.name
    from annotator.core.claim_matrix import write_csv

    out = io.BytesIO()
    write_csv(store, [c.uid for c in store.claims()], out)      # the matrix's Export CSV… too
    assert b"Report | Wire" in out.getvalue() and BAD_DATE.encode() not in out.getvalue()
    store.close()


def test_claimreview_omits_junk_and_says_what_is_missing(tmp_path: Path) -> None:
    store = _junk_database(tmp_path / "old.db")
    out = io.BytesIO()
    result = exporter.export(store, "claimreview", out)
    (review,) = orjson.loads(out.getvalue())
    assert review["url"] == "https://factcheck.example/"    # the claim's own is junk: the setting's
    assert "datePublished" not in review["itemReviewed"] and "url" not in review["author"]
    assert review["itemReviewed"]["appearance"] == [{"@type": "CreativeWork", "headline": "Report",
                                                     "publisher": {"@type": "Organization", "name": "Wire"}}]
    assert any("itemReviewed.datePublished" in w for w in result.warnings)
    # The claims list's first appearance is no junk either: a tag time, said as one.
    (row,) = store.claim_rows()
    assert row.first_appearance != BAD_DATE and row.first_tagged
    store.close()


def test_a_merge_drops_the_colleagues_junk_and_verifies(tmp_path: Path) -> None:
    _junk_database(tmp_path / "theirs.db").close()
    with Store.open(tmp_path / "mine.db") as mine:
        report = merge_database(mine, tmp_path / "theirs.db", actor="lead")
        (article,) = mine.articles()
        assert (article.url, article.published) == (None, None)
        (claim,) = mine.claims()
        assert (claim.claim_date, claim.review_url) == (None, None)
        assert "organisation_url" not in mine.settings() and mine.setting("organisation") == "Fact Desk"
        notes = " | ".join(report.notes)
        assert repr(BAD_URL) in notes and repr(BAD_DATE) in notes
        assert audit.verify(mine).ok
        assert not merge_database(mine, tmp_path / "theirs.db", actor="lead").changed


def test_a_merge_drops_junk_in_details_of_an_article_both_hold(tmp_path: Path) -> None:
    with Store.open(tmp_path / "mine.db") as mine:
        mine.add_article("Bloomberg reported that Türkiye asked Russia to take back the S-400s.", title="Report",
                         source="Wire", actor="ana")
    shutil.copy(tmp_path / "mine.db", tmp_path / "theirs.db")
    with Store.open(tmp_path / "theirs.db") as theirs:
        (article,) = theirs.articles()
        theirs.edit_article(article.id, title="Report (Bloomberg)", actor="bo")
        with theirs.transaction():   # as an older version, which did not check, would have
            theirs.write_article_details(article.uid, {"url": BAD_URL})
            theirs.append_events([NewEvent("edit", "article", article.uid, {"url": None}, {"url": BAD_URL}, "bo")])
    with Store.open(tmp_path / "mine.db") as mine:
        report = merge_database(mine, tmp_path / "theirs.db", actor="lead")
        (article,) = mine.articles()
        assert (article.title, article.url) == ("Report (Bloomberg)", None)
        assert any(repr(BAD_URL) in note for note in report.notes)
        assert audit.verify(mine).ok


def test_an_article_already_here_keeps_its_details_and_the_differences_are_said(tmp_path: Path) -> None:
    store = Store.memory()
    article, _ = store.add_article("Kremlin denied the report.", title="Kremlin denial", source="TASS",
                                   url="https://tass.example/1", published="2025-12-18", actor="ana")
    path = _lines(tmp_path / "again.jsonl",
                  {"text": "Kremlin denied the report.", "title": "Kremlin denies", "source": "TASS",
                   "url": "https://mirror.example/1", "published": "2025-12-18"},
                  {"text": "Kremlin denied the report.", "title": "Kremlin denial"})
    report = Importer(store, actor="bo").run([path])
    assert (report.articles_added, report.articles_existing) == (0, 2)
    kept = store.article(article.id)
    assert (kept.title, kept.url) == ("Kremlin denial", "https://tass.example/1")
    (remark,) = report.remarks
    assert remark.place == f"{path}:1" and "title 'Kremlin denies' (here 'Kremlin denial')" in remark.reason
    assert "url 'https://mirror.example/1' (here 'https://tass.example/1')" in remark.reason
    assert "source" not in remark.reason and "published" not in remark.reason
