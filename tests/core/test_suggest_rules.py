"""Cue rules: the cue syntax, the clause around a cue, the seeds, editable cue lists."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.paths import load_seeds
from annotator.core.store import Store
from annotator.core.suggest_rules import CueSet, SuggestCancelled, cue_pattern, rule_candidates, suggest_with_rules
from annotator.core.suggestions import Cue, SuggestionError


@pytest.fixture(scope="module")
def seeds() -> Store:
    store = Store.memory()
    load_seeds(store, "tester")
    return store


def cues(**phrases: tuple[str, ...]) -> CueSet:
    return CueSet.of(Cue(f"{label}{i}", label, p) for label, ps in phrases.items() for i, p in enumerate(ps))


def proposed(text: str, cue_set: CueSet) -> list[tuple[str, str]]:
    return [(c.label, text[c.start:c.end]) for c in rule_candidates(text, cue_set)]


@pytest.mark.parametrize(("phrase", "text", "found"), [
    ("denied", "Moscow Denied it", ["Denied"]),
    ("denied", "undenied, deniedly", []),
    ("was not on the agenda", "it was  not\non the agenda.", ["was  not\non the agenda"]),
    ("den*", "denies denial dense", ["denies", "denial", "dense"]),
    ("in ####", "in 2017, in 17, in 20171", ["in 2017"]),
    ('"No,', "«No, we do not» and “No, never” but No, here", ["«No,", "“No,"]),
    ("türkiye", "TÜRKIYE said", ["TÜRKIYE"]),
])
def test_cue_syntax(phrase: str, text: str, found: list[str]) -> None:
    assert [m.group(0) for m in re.finditer(cue_pattern(phrase), text, re.IGNORECASE)] == found


def test_a_cue_with_nothing_to_match_is_refused(store: Store) -> None:
    for phrase in ("", "  ", "*", '"'):
        with pytest.raises(SuggestionError, match="no letter or digit"):
            cue_pattern(phrase)
    with pytest.raises(SuggestionError):
        store.add_cue("claim", "...", actor="ana")


@pytest.mark.parametrize(("text", "claim"), [
    ("According to Bloomberg, Erdogan asked Putin to take back the systems.",
     "Erdogan asked Putin to take back the systems"),
    ("Ankara wants its money back, Bloomberg informs.", "Ankara wants its money back"),
    ("Bloomberg had reported, citing sources, that Erdogan raised it.", "Erdogan raised it"),
    ("There were reports claiming that the EU buys them, according to a source who spoke to RIA.",
     "the EU buys them"),
    ('Lavrov commented, stating that "Ankara has obligations."', "Ankara has obligations"),
    ("Ankara is reportedly looking to get its money back.", "Ankara is reportedly looking to get its money back."),
])
def test_the_clause_a_claim_cue_points_to(text: str, claim: str) -> None:
    cue_set = cues(claim=("according to", "informs", "reported", "citing sources", "claiming", "reportedly",
                          "stating that"))
    assert proposed(text, cue_set) == [("claim", claim)]


def test_a_denial_sentence_holds_its_claim_and_no_background() -> None:
    cue_set = cues(denial=("denied", "not on the table"), claim=("claiming",), background=("previously",))
    text = ("Kremlin denied a report claiming that Erdogan raised it. "
            "Previously, sources said it is not on the table. Previously, Turkey bought them.")
    assert proposed(text, cue_set) == [
        ("denial", "Kremlin denied a report claiming that Erdogan raised it."),
        ("claim", "Erdogan raised it"),
        ("denial", "Previously, sources said it is not on the table."),
        ("background", "Previously, Turkey bought them."),
    ]
    # a denial sentence is never proposed whole as a claim as well
    assert proposed("Kremlin denies claims of a return", cues(denial=("denies",), claim=("claims",))) == [
        ("denial", "Kremlin denies claims of a return")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("ab ,.\n\"“”Ré😀") + ["that ", "claims ", "denied ", "in 2017 "]),
                max_size=80).map("".join))
def test_every_proposal_is_a_span_of_one_sentence(text: str) -> None:
    from annotator.core.claim_suggestions import sentences

    spans = sentences(text)
    for c in rule_candidates(text, cues(claim=("claims",), denial=("denied",), background=("in ####",))):
        assert 0 <= c.start < c.end <= len(text)
        assert any(s <= c.start and c.end <= e for s, e in spans)
        assert 0 < (c.score or 0) < 1


# ------------------------------------------------------------ on the seeds


def test_the_rules_find_the_kremlins_denial_in_000_and_bloombergs_report_in_002(seeds: Store) -> None:
    suggest_with_rules(seeds, actor="tester")
    by_title = {a.origin: a.id for a in seeds.articles()}
    kremlin = next(i for origin, i in by_title.items() if origin and origin.startswith("000"))
    report = next(i for origin, i in by_title.items() if origin and origin.startswith("002"))

    denials = [s.text for s in seeds.suggestion_rows(article_ids=[kremlin], labels=["denial"], order="position")]
    assert denials[0] == ("Kremlin denied a Bloomberg report claiming that President Recep Tayyip Erdogan raised the"
                          " issue of returning S-400 air defense systems to Russia during his meeting with President"
                          " Vladimir Putin in Ashgabat last week.")
    claims = [s.text for s in seeds.suggestion_rows(article_ids=[kremlin], labels=["claim"], order="position")]
    assert claims[0].startswith("President Recep Tayyip Erdogan raised the issue")   # the claim inside the denial

    text = seeds.article_text(report)
    informs = text.index("Bloomberg informs")
    found = [s for s in seeds.suggestion_rows(article_ids=[report], labels=["claim"])
             if s.start < informs < s.end + len(", Bloomberg informs")]
    assert [s.text for s in found] == [
        "Ankara also wants to get back the money it paid to the Russians for the systems"]
    assert 'cue "informs"' in found[0].reason


def test_edited_cues_change_what_the_next_run_proposes(store: Store) -> None:
    a, _ = store.add_article("The ministry dementiert the story. It was sunny.", title="t", actor="ana")
    assert suggest_with_rules(store, actor="ana").total == 0
    store.add_cue("denial", "dementiert", language="de", actor="ana")
    report = suggest_with_rules(store, actor="ana")
    assert report.created == {"denial": 1}
    assert [e.action for e in store.events() if e.entity == "cue"] == ["create"]
    assert suggest_with_rules(store, actor="ana", language="en").withdrawn == 1   # English cues only
    store.remove_cue("denial", "dementiert", language="de", actor="ana")
    assert store.suggestion_count(article_ids=[a.id]) == 0


def test_a_cancelled_run_stores_nothing(seeds: Store) -> None:
    before = seeds.event_count()
    with pytest.raises(SuggestCancelled):
        suggest_with_rules(seeds, actor="t", progress=lambda *_: False)
    assert seeds.event_count() == before
