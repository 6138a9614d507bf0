"""The claims commands, article details and settings on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from annotator.cli import cli, main
from annotator.core import audit
from annotator.core.paths import load_seeds
from annotator.core.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The seeds, with the S-400 report tagged in 002 and the Kremlin's denial in 000."""
    path = tmp_path / "claims.db"
    with Store.open(path) as store:
        load_seeds(store, "tester")
        for article_id, phrase, label, uid in (
                (3, "Türkiye plans to return the S-400 air defense systems to Russia", "claim", "aaaa1111-report"),
                (1, "Kremlin denied a Bloomberg report", "denial", "bbbb2222-denial"),
                (4, "Erdogan asked Putin to take back the missile systems", "claim", "cccc3333-report")):
            start = store.article_text(article_id).index(phrase)
            store.add_annotation(article_id, start, start + len(phrase), label, annotator="ana", uid=uid)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def only_claim(db: Path) -> str:
    with Store.open(db) as store:
        (claim,) = store.claims()
        return claim.uid


def test_every_claims_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    claims = cli.get_command(click.Context(cli), "claims")
    assert isinstance(claims, click.Group) and claims.help
    for name in ("show", "link", "unlink", "role", "set", "merge", "delete", "suggest"):
        assert claims.commands[name].help, name
        code, out, _ = run(capsys, "claims", name, "--help")
        assert code == 0 and "Usage:" in out
    for name in ("article", "settings"):
        assert cli.get_command(click.Context(cli), name).help, name
    assert run(capsys, "article", "set", "--help")[0] == 0


def test_link_makes_a_claim_from_the_first_span_and_lists_it(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "claims", "--db", str(db), "link", "aaaa", "bbbb", "--as", "ana")
    assert code == 0, err
    claim = only_claim(db)
    assert out == f"claim {claim}: a new claim, 2 spans linked\n"
    code, out, _ = run(capsys, "claims", "--db", str(db), "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["summary"] == "Türkiye plans to return the S-400 air defense systems to Russia"
    assert row["counts"] == {"states": 1, "denies": 1, "supports": 0, "context": 0}
    assert (row["created_by"], row["verdict"], row["spans"]) == ("ana", None, 2)
    code, out, _ = run(capsys, "claims", "--db", str(db))
    assert out.splitlines()[1].startswith(f"{claim[-12:]}  -              1   1   0   0  ")
    # the end of the uid a table shows, typed back, finds the claim
    code, out, _ = run(capsys, "claims", "--db", str(db), "show", claim[-12:])
    assert code == 0 and claim in out
    # and so do the first few characters a reader copies from it, or its last few
    for typed in (claim[-12:-8], claim[-4:], claim[-12:-8].upper()):
        code, out, _ = run(capsys, "claims", "--db", str(db), "show", typed)
        assert code == 0 and claim in out
    # the third span joins the first span's claim
    code, out, _ = run(capsys, "claims", "--db", str(db), "link", "aaaa", "cccc", "--as", "bo")
    assert out == f"claim {claim}: 1 span linked, 1 span already linked\n"


def test_show_lists_the_spans_with_their_articles(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "claims", "--db", str(db), "link", "aaaa", "bbbb", "cccc", "--as", "ana")
    claim = only_claim(db)
    code, out, _ = run(capsys, "claims", "show", "--db", str(db), claim[:6], "--json")
    shown = json.loads(out)
    assert shown["claim"]["uid"] == claim
    assert [(s["article"], s["role"], s["span"]) for s in shown["spans"]] == [
        (1, "denies", "bbbb2222-denial"), (3, "states", "aaaa1111-report"), (4, "states", "cccc3333-report")]
    code, out, _ = run(capsys, "claims", "show", "--db", str(db), claim)
    lines = out.splitlines()
    assert lines[0] == f"claim {claim}: Türkiye plans to return the S-400 air defense systems to Russia"
    assert lines[2] == "  verdict: none yet"
    assert lines[3].startswith("  denies       1 Kremlin denied a Bloomberg")


def test_a_rejected_span_is_listed_apart_and_not_counted(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "claims", "--db", str(db), "link", "aaaa", "bbbb", "--as", "ana")
    claim = only_claim(db)
    with Store.open(db) as store:
        store.set_status("bbbb2222-denial", "rejected", actor="rita", reason="a quote, not a denial")
    code, out, err = run(capsys, "claims", "--db", str(db))
    assert out.splitlines()[1].startswith(f"{claim[-12:]}  -              1   0   0   0  ")
    assert out.splitlines()[1].endswith("; 1 rejected span not counted")
    (row,) = [json.loads(line) for line in run(capsys, "claims", "--db", str(db), "--json")[1].splitlines()]
    assert row["counts"]["denies"] == 0 and row["rejected"]["denies"] == 1 and row["spans"] == 1
    code, out, _ = run(capsys, "claims", "show", "--db", str(db), claim)
    assert out.splitlines()[3].startswith("  denies ") and out.splitlines()[3].endswith("(rejected: not counted)")
    shown = json.loads(run(capsys, "claims", "show", "--db", str(db), claim, "--json")[1])
    assert [s["status"] for s in shown["spans"]] == ["rejected", "pending"]


def test_set_fields_and_verdict_in_one_step(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "claims", "--db", str(db), "link", "aaaa", "--as", "ana")
    claim = only_claim(db)
    with Store.open(db) as store:
        before = store.event_count()
    code, out, err = run(capsys, "claims", "set", "--db", str(db), claim, "--summary", "Erdoğan asked Putin to take"
                         " back the S-400 systems Türkiye bought in 2017 for about 2.5 billion dollars, sources say",
                         "--claimant", "Bloomberg, citing sources", "--date", "2025-12-15", "--verdict", "Unproven",
                         "--explanation", "Denied by the Kremlin", "--as", "rita")
    assert code == 0 and "verdict: unproven" in out
    assert err.startswith("annotator: warning: the summary has 116 characters")
    with Store.open(db) as store:
        c = store.claim(claim)
        assert (c.claimant, c.claim_date, c.verdict, c.explanation, c.reviewed_by) == (
            "Bloomberg, citing sources", "2025-12-15", "unproven", "Denied by the Kremlin", "rita")
        assert [(e.entity, e.action) for e in store.events()][before:] == [("claim", "edit"), ("claim", "verdict")]
    code, _, err = run(capsys, "claims", "set", "--db", str(db), claim, "--verdict", "fake")
    assert code == 1 and err.startswith("annotator: error: unknown rating 'fake' (ratings: true, mostly true")
    code, _, err = run(capsys, "claims", "set", "--db", str(db), claim, "--date", "tomorrow", "--verdict", "true")
    assert code == 1 and "ISO 8601" in err and err.count("\n") == 1
    with Store.open(db) as store:   # the failed call changed nothing, not even the verdict
        assert store.claim(claim).verdict == "unproven"
    code, _, err = run(capsys, "claims", "set", "--db", str(db), claim)
    assert code == 2 and "give at least one of" in err
    assert run(capsys, "claims", "set", "--db", str(db), claim, "--verdict", "none")[0] == 0
    with Store.open(db) as store:
        assert store.claim(claim).verdict is None


def test_unlink_role_merge_delete(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "claims", "--db", str(db), "link", "aaaa", "bbbb", "--as", "ana")
    first = only_claim(db)
    code, out, _ = run(capsys, "claims", "--db", str(db), "role", "bbbb", "context", "--claim", first)
    assert (code, out) == (0, f"claim {first}: 1 role changed\n")
    code, out, _ = run(capsys, "claims", "--db", str(db), "unlink", "bbbb", "--claim", first)
    assert (code, out) == (0, f"claim {first}: 1 span unlinked\n")
    code, _, err = run(capsys, "claims", "--db", str(db), "unlink", "bbbb", "--claim", first)
    assert code == 1 and "is not linked to claim" in err
    run(capsys, "claims", "--db", str(db), "link", "cccc", "aaaa", "--as", "ana")
    with Store.open(db) as store:
        second = next(c.uid for c in store.claims() if c.uid != first)
    code, out, _ = run(capsys, "claims", "--db", str(db), "merge", first, second)
    assert out == f"claim {first}: 1 span moved, 1 duplicate link dropped\n"
    code, out, _ = run(capsys, "claims", "--db", str(db), "delete", first)
    assert out == f"deleted claim {first} and 2 links\n"
    with Store.open(db) as store:
        assert store.claims() == [] and audit.verify(store).ok
    code, _, err = run(capsys, "claims", "--db", str(db), "show", "zzzz")
    assert code == 1 and err == ("annotator: error: no claim with a uid matching 'zzzz'"
                              " (type the start or the end of the uid a table shows, or all of it)\n")


def test_suggest_ranks_sentences(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "claims", "--db", str(db), "link", "aaaa", "--as", "ana")
    claim = only_claim(db)
    code, out, _ = run(capsys, "claims", "suggest", "--db", str(db), claim, "--limit", "3", "--json")
    found = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(found) == 3
    assert found[0]["article"] == 3 and found[0]["text"].startswith("Türkiye wants to return S-400")
    assert set(found[0]) == {"article", "title", "source", "start", "end", "text", "score", "role"}
    code, out, err = run(capsys, "claims", "suggest", "--db", str(db), claim, "--limit", "2")
    assert len(out.splitlines()) == 3 and err == "2 suggestions\n"   # a header, then one line each


def test_claim_tables_keep_their_columns(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Offsets of different widths ([0, 90) and [1356, 1393)) and roles ("supports") shift nothing."""
    from annotator.cli import display_width

    run(capsys, "claims", "--db", str(db), "link", "aaaa", "--as", "ana")
    claim = only_claim(db)
    code, out, _ = run(capsys, "claims", "suggest", "--db", str(db), claim, "--limit", "8")
    rows = out.splitlines()[1:]
    starts = {display_width(r[:r.index("“")]) for r in rows}
    assert code == 0 and len(rows) == 8 and len(starts) == 1, out
    with Store.open(db) as store:
        other = store.add_annotation(2, 1356, 1393, "background", annotator="ana")
        store.link_spans([other.uid], claim_uid=claim, role="supports", actor="ana")
    code, out, _ = run(capsys, "claims", "show", "--db", str(db), claim)
    spans = [line for line in out.splitlines() if line.startswith("  ") and "“" in line]
    assert len(spans) == 2 and len({display_width(r[:r.index("“")]) for r in spans}) == 1, out


def test_printed_text_has_its_control_characters_escaped(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db) as store:
        store.create_claim("Evil \x1b[2J summary \u202e", actor="ana", claimant="x")
    code, out, _ = run(capsys, "claims", "--db", str(db))
    assert "\x1b" not in out and "\u202e" not in out and "\\u001b[2J" in out and "\\u202e" in out


def test_article_set_validates_and_audits(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "article", "set", "--db", str(db), "3", "--url", "https://example.com/s400",
                       "--published", "2025-12-15", "--source", "Example News", "--as", "ana")
    assert code == 0 and out.startswith("article 3: Türkiye wants to return")
    assert "| Example News | https://example.com/s400 | 2025-12-15" in out
    code, _, err = run(capsys, "article", "set", "--db", str(db), "3", "--url", "example.com")
    assert code == 1 and "not a web address" in err
    code, _, err = run(capsys, "article", "set", "--db", str(db), "3", "--published", "15.12.2025")
    assert code == 1 and "ISO 8601" in err
    code, _, err = run(capsys, "article", "set", "--db", str(db), "99", "--title", "x")
    assert code == 1 and "no article with id 99" in err
    with Store.open(db) as store:
        assert [e.action for e in store.events(entity="article")][-1] == "edit"
        assert audit.verify(store).ok


def test_settings(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "settings", "--db", str(db), "organisation", "Fact Desk")
    assert code == 0 and out.startswith("organisation      Fact Desk")
    code, out, _ = run(capsys, "settings", "--db", str(db))
    assert len(out.splitlines()) == 4 and "organisation_url  -" in out and "retrain_every     -" in out
    code, out, _ = run(capsys, "settings", "--db", str(db), "retrain_every", "20")
    assert code == 0 and out.startswith("retrain_every     20")
    code, _, err = run(capsys, "settings", "--db", str(db), "retrain_every", "often")
    assert code == 1 and "retrain_every is a whole number" in err
    code, _, err = run(capsys, "settings", "--db", str(db), "review_url", "nope")
    assert code == 1 and "not a web address" in err
    run(capsys, "settings", "--db", str(db), "organisation", "--clear")
    with Store.open(db) as store:
        assert store.settings() == {"retrain_every": "20"}


def test_agreement_reports_claim_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "two.db"
    with Store.open(path) as store:
        text = "Turkey asked Russia to take back its S-400 systems. The Kremlin denied it."
        article, _ = store.add_article(text, title="t", actor="x")
        for who in ("ana", "bo"):
            claim = store.add_annotation(article.id, 0, 50, "claim", annotator=who).uid
            denial = store.add_annotation(article.id, 52, 74, "denial", annotator=who).uid
            store.link_spans([claim, denial] if who == "ana" else [claim], actor=who)
    code, out, _ = run(capsys, "agreement", "--db", str(path))
    assert code == 0
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("claim links (B against A"))
    # A pairs the claim with its denial, B links the claim alone: no pair of B's, so no precision;
    # B-cubed: each of the two items is alone in B's cluster (precision 1) and half of A's (recall 0.5)
    assert lines[start + 2].split() == ["ana", "bo", "all", "1", "0", "0", "n/a", "0.000", "0.000", "2", "1.000",
                                        "0.500", "0.667"]
    code, out, _ = run(capsys, "agreement", "--db", str(path), "--json")
    links = json.loads(out)["links"]
    assert links[0]["roles"][0]["bcubed"]["recall"] == pytest.approx(0.5)


def test_history_of_a_claim_holds_its_links(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "claims", "--db", str(db), "link", "aaaa", "bbbb", "--as", "ana")
    claim = only_claim(db)
    run(capsys, "claims", "set", "--db", str(db), claim, "--verdict", "false", "--as", "rita")
    run(capsys, "claims", "--db", str(db), "unlink", "bbbb", "--claim", claim, "--as", "bo")
    code, out, _ = run(capsys, "history", "--db", str(db), claim[:8])
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith(f"claim {claim}: “Türkiye plans")
    described = [line.split(None, 3)[2:] for line in lines[1:]]
    assert [d[0] for d in described] == ["create", "create", "create", "verdict", "delete"]
    assert described[1][1].startswith("created link: claim_uid") and "role 'states'" in described[1][1]
    assert "span_uid 'aaaa1111-report'" in described[1][1]
    assert described[3][1] == "claim verdict: - → 'false'"
    assert described[4][1].startswith("deleted link:") and "span_uid 'bbbb2222-denial'" in described[4][1]
    code, out, _ = run(capsys, "history", "--db", str(db), "--json", claim)
    assert [json.loads(line)["entity"] for line in out.splitlines()] == ["claim", "link", "link", "claim", "link"]
    code, _, err = run(capsys, "history", "--db", str(db), "zzzz")
    assert code == 1 and "no annotation with a uid matching 'zzzz'" in err
