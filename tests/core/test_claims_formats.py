"""Claims in datasets: the native JSONL round trip, the claims dataset, ClaimReview."""

from __future__ import annotations

import io
import json
from pathlib import Path

import orjson
import pytest

from annotator.core import audit, exporter
from annotator.core.exporter import ExportFilter
from annotator.core.formats import claimreview
from annotator.core.importer import Importer
from annotator.core.paths import load_seeds
from annotator.core.store import Store


def tag(store: Store, article_id: int, phrase: str, label: str, annotator: str = "ana") -> str:
    start = store.article_text(article_id).index(phrase)
    return store.add_annotation(article_id, start, start + len(phrase), label, annotator=annotator).uid


@pytest.fixture
def seeds() -> Store:
    """The seeds with the S-400 claim linked across four articles, a verdict, and a claim with no span."""
    store = Store.memory()
    load_seeds(store, "tester")
    store.edit_article(3, actor="ana", url="https://example.org/s400", published="2025-12-15", source="Example")
    store.edit_article(4, actor="ana", url="https://example.net/turkey", published="2025-12-16", source="Net News")
    report = tag(store, 3, "Türkiye plans to return the S-400 air defense systems to Russia", "claim")
    again = tag(store, 4, "Erdogan asked Putin to take back the missile systems", "claim", "bo")
    denial = tag(store, 1, "Kremlin denied a Bloomberg report", "denial")
    store.add_annotation(2, 0, 7, "denial", annotator="ana")   # a span with no link
    claim = store.link_spans([report, again, denial], actor="ana", new_claim_uid="c-s400").claim_uid
    store.edit_claim(claim, actor="ana", summary="Erdoğan asked Putin to take back Türkiye's S-400 systems",
                     claimant="Bloomberg, citing sources", claim_date="2025-12-15",
                     review_url="https://factdesk.example/s400")
    store.set_verdict(claim, "unproven", "Both governments denied it; the sources are anonymous.", actor="rita")
    store.create_claim("Sanctions will be lifted next year", actor="bo", uid="c-lonely")
    yield store
    store.close()


def export(store: Store, fmt: str, flt: ExportFilter | None = None) -> tuple[bytes, exporter.ExportResult]:
    out = io.BytesIO()
    result = exporter.export(store, fmt, out, flt)
    return out.getvalue(), result


# ------------------------------------------------------------------ native


def test_native_jsonl_round_trips_claims_and_links(seeds: Store, tmp_path: Path) -> None:
    first, result = export(seeds, "jsonl")
    assert (result.claims, result.links) == (2, 3)
    lines = [orjson.loads(line) for line in first.splitlines()]
    assert [list(line) for line in lines[-2:]] == [["claim"], ["claim"]]
    assert lines[-2]["claim"]["verdict"] == "unproven" and lines[-2]["claim"]["verdict_value"] == 0
    linked = [s for line in lines[:-2] for s in line["spans"] if "links" in s]
    assert sorted(k["role"] for s in linked for k in s["links"]) == ["denies", "states", "states"]
    path = tmp_path / "seeds.jsonl"
    path.write_bytes(first)
    with Store.memory() as empty:
        report = Importer(empty, actor="importer").run([path])
        assert report.ok and (report.claims_added, report.links_added) == (2, 3)
        assert "2 claims and 3 links added" in report.summary()
        second, _ = export(empty, "jsonl")
        assert second == first
        assert audit.verify(empty).ok
        # importing the same file again adds nothing
        again = Importer(empty, actor="importer").run([path])
        assert (again.claims_added, again.links_added, again.claims_existing) == (0, 0, 2)


def test_a_filtered_export_carries_only_the_claims_of_its_spans(seeds: Store) -> None:
    data, result = export(seeds, "jsonl", ExportFilter(annotators=["bo"]))
    claims = [orjson.loads(line)["claim"]["uid"] for line in data.splitlines() if b'"claim":{' in line[:12]]
    assert claims == ["c-s400"] and result.links == 1


def test_formats_without_room_for_links_say_so(seeds: Store) -> None:
    _data, result = export(seeds, "csv")
    assert any("cannot carry claims: 3 links" in w for w in result.warnings)
    with Store.memory() as plain:
        plain.add_article("No claims here.", title="t", actor="a")
        assert export(plain, "csv")[1].warnings == []


def test_import_reports_bad_links_and_adds_missing_ratings(tmp_path: Path) -> None:
    text = "Turkey asked Russia to take back its S-400 systems."
    lines = [
        {"text": text, "spans": [{"uid": "s1", "start": 0, "end": 6, "label": "claim", "links": [
            {"claim": "c1", "role": "states"}, {"claim": "ghost", "role": "states"},
            {"claim": "c1", "role": "agrees"}, {"role": "states"}]}]},
        {"claim": {"uid": "c1", "summary": "Turkey returns the S-400", "verdict": "satire", "verdict_value": -1}},
        {"claim": {"uid": "c2", "summary": "x", "verdict": "nonsense"}},
        {"claim": "not an object"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    with Store.memory() as store:
        report = Importer(store, actor="imp").run([path])
        reasons = [str(p) for p in report.problems]
        # A verdict the scale lacks, with no value to add it by, is dropped; the claim is kept (without one).
        assert (report.claims_added, report.links_added) == (2, 1)
        assert store.claim("c2").verdict is None
        assert any("link[1]: no claim ghost" in r for r in reasons)
        assert any("link[2]: unknown role 'agrees'" in r for r in reasons)
        assert any("link[3]: a link needs the uid of its claim" in r for r in reasons)
        assert any(":3: unknown rating 'nonsense'" in str(r) and "verdict was dropped" in str(r)
                   for r in report.remarks)
        assert any(":4: 'claim' is not a JSON object" in r for r in reasons)
        assert any("rating 'satire' added to the scale" in str(p) for p in report.remarks)
        assert store.claim("c1").verdict == "satire" and store.rating("satire").value == -1
        assert audit.verify(store).ok


# ----------------------------------------------------------- claims dataset


def test_the_claims_dataset_reads_back_with_pandas(seeds: Store, tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "claims.jsonl"
    result = exporter.export(seeds, "claims", path)
    assert (result.claims, result.links) == (1, 3)
    assert any("1 claim with no span linked not written" in w for w in result.warnings)
    frame = pd.read_json(path, lines=True, dtype=False)
    assert list(frame.columns) == list(__import__("annotator.core.formats.claims", fromlist=["FIELDS"]).FIELDS)
    assert list(frame["role"]) == ["denies", "states", "states"]
    assert list(frame["article_id"]) == [1, 3, 4]
    assert set(frame["claim"]) == {"Erdoğan asked Putin to take back Türkiye's S-400 systems"}
    assert set(frame["verdict"]) == {"unproven"}
    for _, row in frame.iterrows():
        assert row["article_text"][row["start"]:row["end"]] == row["span_text"]
    assert list(frame["annotator"]) == ["ana", "ana", "bo"]
    only_bo = exporter.export(seeds, "claims", tmp_path / "bo.jsonl", ExportFilter(annotators=["bo"]))
    assert only_bo.links == 1


# --------------------------------------------------------------- ClaimReview


def test_claimreview_has_every_required_and_recommended_field(seeds: Store) -> None:
    seeds.set_setting("organisation", "Fact Desk", actor="lead")
    seeds.set_setting("organisation_url", "https://factdesk.example", actor="lead")
    data, result = export(seeds, "claimreview")
    (review,) = json.loads(data)
    for name in (*claimreview.REQUIRED, *claimreview.RECOMMENDED):
        assert claimreview.field_value(review, name) not in (None, "", []), name
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Erdoğan asked Putin to take back Türkiye's S-400 systems"
    assert review["url"] == "https://factdesk.example/s400"
    assert review["author"] == {"@type": "Organization", "name": "Fact Desk", "url": "https://factdesk.example"}
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "unproven", "ratingValue": 0,
                                      "bestRating": 5, "worstRating": 0,
                                      "ratingExplanation": "Both governments denied it; the sources are anonymous."}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"] == {"@type": "Organization",
                                                           "name": "Bloomberg, citing sources"}
    assert item["datePublished"] == "2025-12-15"
    # the articles that state it (not the denial), oldest first
    assert [a["url"] for a in item["appearance"]] == ["https://example.org/s400", "https://example.net/turkey"]
    assert item["appearance"][0]["publisher"] == {"@type": "Organization", "name": "Example"}
    assert item["firstAppearance"] == item["appearance"][0]
    assert [a["datePublished"] for a in item["appearance"]] == ["2025-12-15", "2025-12-16"]
    assert review["datePublished"] == seeds.claim("c-s400").reviewed_at[:10]
    assert result.claims == 1
    assert result.warnings == ["1 claim with no verdict yet not written: a ClaimReview is a verdict"]


def test_claimreview_reports_a_claim_missing_a_required_field(seeds: Store) -> None:
    seeds.edit_claim("c-s400", actor="ana", review_url="")
    seeds.set_verdict("c-lonely", "false", actor="rita")
    data, result = export(seeds, "claimreview")
    assert json.loads(data) == []
    assert any("claim c-s400" in w and "lacks the required url" in w and "review_url setting" in w
               for w in result.warnings)
    seeds.set_setting("review_url", "https://factdesk.example/checks", actor="lead")
    data, result = export(seeds, "claimreview")
    reviews = json.loads(data)
    assert [r["url"] for r in reviews] == ["https://factdesk.example/checks"] * 2
    # the lonely claim has no claimant, date or appearance: said, not written empty
    assert "itemReviewed" in reviews[1] and reviews[1]["itemReviewed"] == {"@type": "Claim"}
    assert "1 ClaimReview lacks the recommended itemReviewed.appearance" in result.warnings
    assert "2 ClaimReviews lack the recommended author" in result.warnings


# ---------------------------------------------------- when a claim appeared


def test_a_claim_without_a_date_is_dated_by_the_articles_stating_or_denying_it(seeds: Store) -> None:
    """Not by the time someone tagged it: the Kremlin's denial, dated earlier, says the claim was out by then."""
    seeds.edit_claim("c-s400", actor="ana", claim_date="")
    seeds.edit_article(1, actor="ana", published="2025-12-14T08:00:00Z")   # the denial, a day before both reports
    data, _result = export(seeds, "claimreview")
    (review,) = json.loads(data)
    assert review["itemReviewed"]["datePublished"] == "2025-12-14T08:00:00Z"
    row = seeds.claim_row("c-s400")
    assert (row.first_appearance, row.first_article_id, row.first_tagged) == ("2025-12-14T08:00:00Z", 1, False)


def test_a_claim_with_no_date_anywhere_has_none_in_claimreview(seeds: Store) -> None:
    """The tag time is no date of the claim: left out, and said as a missing recommended field."""
    seeds.edit_claim("c-s400", actor="ana", claim_date="")
    for article_id in (3, 4):
        seeds.edit_article(article_id, actor="ana", published="")
    data, result = export(seeds, "claimreview")
    (review,) = json.loads(data)
    assert "datePublished" not in review["itemReviewed"]
    assert "1 ClaimReview lacks the recommended itemReviewed.datePublished" in result.warnings
    row = seeds.claim_row("c-s400")
    assert row.first_tagged and row.first_appearance == min(
        seeds.annotation(k.span_uid).created_at for k in seeds.links_of_claim("c-s400"))


def test_a_claim_date_comes_first_and_an_earlier_denial_still_counts(seeds: Store) -> None:
    seeds.edit_claim("c-s400", actor="ana", claim_date="2025-12-16")
    seeds.edit_article(1, actor="ana", published="2025-12-13")
    (review,) = json.loads(export(seeds, "claimreview")[0])
    assert review["itemReviewed"]["datePublished"] == "2025-12-16"   # the claim's own date, as set
    row = seeds.claim_row("c-s400")
    assert (row.first_appearance, row.first_article_id) == ("2025-12-13", 1)   # denied three days before


# ------------------------------------------------- rejected spans (docs/claims.md)


def test_a_rejected_span_counts_nowhere_in_its_claim(seeds: Store) -> None:
    """A reviewer who rejects a span ("not a denial") takes it out of the claim's counts, dates, matrix and
    ClaimReview; the claim still lists it, marked, and the claims dataset carries it with its status."""
    links = {k.role + str(seeds.annotation(k.span_uid).article_id): k.span_uid for k in seeds.links_of_claim("c-s400")}
    seeds.edit_claim("c-s400", actor="ana", claim_date="")
    seeds.edit_article(1, actor="ana", published="2025-12-01")   # the denial, the earliest date of all
    seeds.set_status(links["states4"], "rejected", actor="rita", reason="a question, not the claim")
    seeds.set_status(links["denies1"], "rejected", actor="rita", reason="a quote, not a denial")
    seeds.set_status(links["states3"], "accepted", actor="rita")

    row = seeds.claim_row("c-s400")
    assert row.counts == {"states": 1}
    assert row.rejected == {"states": 1, "denies": 1}
    assert (row.spans, row.linked) == (1, 3)
    assert (row.first_appearance, row.first_article_id) == ("2025-12-15", 3)   # not the rejected denial's date
    assert seeds.claim_matrix(["c-s400"], [1, 3, 4]) == {"c-s400": {3: ("states",)}}
    assert [a.id for a in seeds.matrix_articles(["c-s400"])] == [3]
    assert {s.article_id: (s.status, s.counts) for s in seeds.claim_spans("c-s400")} == {
        1: ("rejected", False), 3: ("accepted", True), 4: ("rejected", False)}

    (review,) = json.loads(export(seeds, "claimreview")[0])
    assert [a["url"] for a in review["itemReviewed"]["appearance"]] == ["https://example.org/s400"]
    assert review["itemReviewed"]["datePublished"] == "2025-12-15"

    data, _result = export(seeds, "claims")
    assert sorted(orjson.loads(line)["status"] for line in data.splitlines()) == ["accepted", "rejected", "rejected"]

    seeds.set_status(links["denies1"], "pending", actor="rita")   # back to pending: it counts again
    row = seeds.claim_row("c-s400")
    assert row.counts == {"states": 1, "denies": 1} and row.rejected == {"states": 1}
    assert row.first_appearance == "2025-12-01"


# ------------------------------------------------------ filters, numbers and refusals in words


def _second_claim(store: Store) -> str:
    """The unlinked denial on article 2 linked to a claim of its own, with a verdict."""
    (span,) = store.annotations_for(2)
    uid = store.link_spans([span.uid], actor="ana", new_claim_uid="c-two").claim_uid
    store.set_verdict(uid, "false", actor="rita")
    return uid


@pytest.mark.parametrize("fmt", ["claimreview", "claims"])
def test_claim_exports_keep_the_claims_of_the_spans_a_status_or_article_filter_chooses(seeds: Store,
                                                                                      fmt: str) -> None:
    _second_claim(seeds)
    seeds.set_status(seeds.annotations_for(3)[0].uid, "accepted", actor="rita")
    seeds.set_setting("review_url", "https://factdesk.example/checks", actor="lead")

    def claims(flt: ExportFilter) -> list[str]:
        data = export(seeds, fmt, flt)[0]
        if fmt == "claimreview":
            return [r["claimReviewed"][:7] for r in json.loads(data)]
        return sorted({orjson.loads(line)["claim"][:7] for line in data.splitlines()})

    assert claims(ExportFilter()) == ["Erdoğan", "Kremlin"]
    assert claims(ExportFilter(statuses=["accepted"])) == ["Erdoğan"]
    assert claims(ExportFilter(article_ids=[2])) == ["Kremlin"]


def test_the_claims_dataset_filtered_by_annotator_says_nothing_of_claims_left_out(seeds: Store) -> None:
    data, result = export(seeds, "claims", ExportFilter(annotators=["bo"]))
    assert [orjson.loads(line)["annotator"] for line in data.splitlines()] == ["bo"]
    assert result.warnings == []
    assert export(seeds, "claims")[1].warnings == [
        "1 claim with no span linked not written: a line pairs a claim with a span"]


def test_claimreview_writes_whole_ratings_as_integers_and_others_as_they_are(seeds: Store) -> None:
    data = export(seeds, "claimreview")[0]
    rating = json.loads(data)[0]["reviewRating"]
    assert [(rating[k], type(rating[k])) for k in ("ratingValue", "bestRating", "worstRating")] == [
        (0, int), (5, int), (0, int)]
    seeds.edit_rating("unproven", actor="lead", value=0.5)
    rating = json.loads(export(seeds, "claimreview")[0])[0]["reviewRating"]
    assert [(rating[k], type(rating[k])) for k in ("ratingValue", "bestRating", "worstRating")] == [
        (0.5, float), (5, int), (0.5, float)]


def test_claimreview_from_a_database_with_no_rating_scale_writes_nothing_and_says_why() -> None:
    with Store.memory() as store:
        for rating in store.ratings():
            store.remove_rating(rating.name, actor="lead")
        store.create_claim("Sanctions will be lifted next year", actor="bo")
        data, result = export(store, "claimreview")
    assert json.loads(data) == []
    assert result.warnings == ["1 claim with no verdict yet not written: a ClaimReview is a verdict"]


def test_claimreview_names_a_claim_it_could_not_write_by_the_start_of_its_summary(seeds: Store) -> None:
    seeds.edit_claim("c-s400", actor="ana", review_url="")
    assert export(seeds, "claimreview")[1].warnings[0] == (
        "claim c-s400 (“Erdoğan asked Putin to take back Türkiye”) not written: it lacks the required url"
        " (set the claim's fact-check url, or the review_url setting)")
    # a verdict whose rating has no name left (a database another program wrote): two fields lacking
    seeds.db.conn.execute("UPDATE ratings SET name = '' WHERE name = 'unproven'")
    assert export(seeds, "claimreview")[1].warnings[0] == (
        "claim c-s400 (“Erdoğan asked Putin to take back Türkiye”) not written: it lacks the required"
        " reviewRating.alternateName, url (set the claim's fact-check url, or the review_url setting)")
