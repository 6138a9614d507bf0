"""Commands for claims across articles, their verdicts and article details: claims, article, settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
import orjson

from ..core import audit
from ..core.claims import ROLES, Claim, ClaimChange, ClaimRow, ClaimSpan
from ..core.store import SETTINGS, Store
from ..core.store.claims import CLAIM_SORTS
from ..core.words import short_uid
from . import PROG, Options, acting, count, cut, db_option, pad, say

as_option = click.option("--as", "actor", default=None, metavar="NAME",
                         help="Who makes the change (default: your annotator name, else your login name).")


def echo(text: str, *, err: bool = False) -> None:
    """Every line these commands print goes through here: control characters escaped (``core.terminal``)."""
    say(text, err=err)


def echo_json(value: Any) -> None:
    say(orjson.dumps(value).decode())


def _actor(actor: str | None, store: Store) -> str:
    return acting(store, actor)


def _warn(claim: Claim | None) -> None:
    for warning in claim.warnings if claim is not None else ():
        echo(f"{PROG}: warning: {warning}", err=True)


def _claim_json(claim: Claim) -> dict[str, Any]:
    return {"uid": claim.uid, "summary": claim.summary, "claimant": claim.claimant, "claim_date": claim.claim_date,
            "verdict": claim.verdict, "explanation": claim.explanation, "review_url": claim.review_url,
            "reviewed_by": claim.reviewed_by, "reviewed_at": claim.reviewed_at, "created_by": claim.created_by,
            "created_at": claim.created_at, "warnings": list(claim.warnings)}


def _row_json(row: ClaimRow) -> dict[str, Any]:
    return {**_claim_json(row.claim), "counts": {role: row.count(role) for role in ROLES}, "spans": row.spans,
            "rejected": {role: row.rejected_in(role) for role in ROLES},
            "first_appearance": row.first_appearance, "first_article": row.first_article_id}


def _span_json(span: ClaimSpan) -> dict[str, Any]:
    return {"span": span.span_uid, "role": span.role, "article": span.article_id, "title": span.title,
            "source": span.source, "url": span.url, "published": span.published, "start": span.start,
            "end": span.end, "label": span.label, "text": span.text, "annotator": span.annotator,
            "status": span.status, "linked_by": span.link.created_by, "linked_at": span.link.created_at}


def _span_uids(store: Store, prefixes: Sequence[str]) -> list[str]:
    return [audit.resolve_annotation_uid(store, p) for p in prefixes]


def _said(change: ClaimChange) -> str:
    parts = []
    if change.claims_added:
        added = len(change.claims_added)
        parts.append("a new claim" if added == 1 else f"{added} new claims")
    for what, items in (("linked", change.links_added), ("unlinked", change.links_removed)):
        if items:
            parts.append(f"{count(len(items), 'span')} {what}")
    if change.links_edited:
        parts.append(f"{count(len(change.links_edited), 'role')} changed")
    if change.claims_edited:
        parts.append("claim edited")
    if change.skipped:
        parts.append(f"{count(len(change.skipped), 'span')} already linked")
    return ", ".join(parts) or "nothing to change"


@click.group("claims", invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per claim instead of a table.")
@click.option("--search", default="", metavar="TEXT", help="Only claims whose summary, claimant or uid holds TEXT.")
@click.option("--verdict", "verdicts", multiple=True, metavar="RATING",
              help="Only claims with this verdict (repeatable; 'none' for claims with no verdict yet).")
@click.option("--sort", type=click.Choice(CLAIM_SORTS), default="created", show_default=True, help="Order.")
@click.option("--desc", is_flag=True, help="Reverse the order.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many claims.")
@click.pass_context
def claims_command(ctx: click.Context, as_json: bool, search: str, verdicts: tuple[str, ...], sort: str,
                   desc: bool, limit: int | None) -> None:
    """List the claims: claimant, verdict, and how many articles state, deny, support or give context to each.

    Subcommands show a claim's spans, link and unlink spans, set a claim's
    fields and verdict, and rank same-claim suggestions.
    """
    if ctx.invoked_subcommand is not None:
        return
    store = ctx.ensure_object(Options).read()
    wanted = [None if v.strip().casefold() == "none" else v for v in verdicts]
    rows = store.claim_rows(search=search, verdicts=wanted, sort=sort, descending=desc, limit=limit)
    if as_json:
        for row in rows:
            echo_json(_row_json(row))
        return
    if not rows:
        echo(f"no claims{' match' if search or verdicts else ''}; make one with '{PROG} claims link SPAN_UID'",
             err=True)
        return
    echo(f"{'claim':<12}  {'verdict':<12} {'st':>3} {'den':>3} {'sup':>3} {'ctx':>3}  {'first seen':<10}  summary"
         " (claimant)")
    for row in rows:
        c = row.claim
        who = f" ({cut(c.claimant, 30)})" if c.claimant else ""
        roles = " ".join(f"{row.count(role):>3}" for role in ("states", "denies", "supports", "context"))
        rejected = sum(row.rejected.values())
        left_out = f"; {count(rejected, 'rejected span')} not counted" if rejected else ""
        echo(f"{short_uid(c.uid)}  {pad(cut(c.verdict or '-', 12), 12)} {roles}"
             f"  {(row.first_appearance or '-')[:10]:<10}  {cut(c.summary, 70)}{who}{left_out}")
    echo(f"{count(len(rows), 'claim')}", err=True)


@claims_command.command("show")
@db_option
@click.argument("uid")
@click.option("--json", "as_json", is_flag=True, help="The claim and its spans as one JSON object.")
@click.pass_obj
def show_command(options: Options, uid: str, as_json: bool) -> None:
    """Show one claim and its spans (article, source, date, role, text). UID may be its first few characters."""
    store = options.read()
    claim = store.claim(audit.resolve_claim_uid(store, uid))
    spans = store.claim_spans(claim.uid)
    if as_json:
        echo_json({"claim": _claim_json(claim), "spans": [_span_json(s) for s in spans]})
        return
    echo(f"claim {claim.uid}: {claim.summary}")
    echo(f"  claimant: {claim.claimant or '-'}; claimed: {claim.claim_date or '-'}; made by {claim.created_by}"
         f" {claim.created_at[:19].replace('T', ' ')}")
    verdict = claim.verdict or "none yet"
    if claim.verdict and claim.reviewed_by:
        verdict += f" (by {claim.reviewed_by} {(claim.reviewed_at or '')[:10]})"
    echo(f"  verdict: {verdict}" + (f"; {claim.explanation}" if claim.explanation else ""))
    if claim.review_url:
        echo(f"  fact-check: {claim.review_url}")
    width = max((len(_offsets(s.start, s.end)) for s in spans), default=0)
    for s in spans:
        where = f"{s.article_id:>5} {cut(s.title, 28)}"
        echo(f"  {pad(s.role, 8)} {pad(where, 34)} {pad(cut(s.source or '-', 14), 14)} {(s.published or '-')[:10]:<10}"
             f"  {pad(_offsets(s.start, s.end), width)}  {short_uid(s.span_uid)}  “{cut(s.text, 60)}”"
             + ("" if s.counts else "  (rejected: not counted)"))
    echo(f"{count(len(spans), 'span')}", err=True)
    _warn(claim)


@claims_command.command("link")
@db_option
@click.argument("spans", nargs=-1, required=True, metavar="SPAN_UID...")
@click.option("--claim", "claim_uid", default=None, metavar="UID",
              help="The claim to link to (default: the first span's claim; a new claim from it if it has none).")
@click.option("--role", type=click.Choice(ROLES), default=None,
              help="The role of every new link (default: from each span's label).")
@as_option
@click.pass_obj
def link_command(options: Options, spans: tuple[str, ...], claim_uid: str | None, role: str | None,
                 actor: str | None) -> None:
    """Link spans to one claim, as pressing L does in the workspace.

    Without --claim the spans join the first span's claim; when the first span
    has none, a claim is made from it (its text as the summary, its article's
    source as the claimant) and every span joins it.
    """
    store = options.open()
    uids = _span_uids(store, spans)
    claim = audit.resolve_claim_uid(store, claim_uid) if claim_uid else None
    change = store.link_spans(uids, actor=_actor(actor, store), claim_uid=claim, role=role)
    linked = store.claim(change.claim_uid) if change.claim_uid else None
    echo(f"claim {change.claim_uid}: {_said(change)}")
    _warn(linked if change.claims_added else None)


@claims_command.command("unlink")
@db_option
@click.argument("span")
@click.option("--claim", "claim_uid", required=True, metavar="UID", help="The claim to take the span out of.")
@as_option
@click.pass_obj
def unlink_command(options: Options, span: str, claim_uid: str, actor: str | None) -> None:
    """Take a span out of a claim (the claim stays, even with no span left)."""
    store = options.open()
    change = store.unlink(_span_uids(store, [span])[0], audit.resolve_claim_uid(store, claim_uid),
                          actor=_actor(actor, store))
    echo(f"claim {change.claim_uid}: {_said(change)}")


@claims_command.command("role")
@db_option
@click.argument("span")
@click.argument("role", type=click.Choice(ROLES), metavar="ROLE")
@click.option("--claim", "claim_uid", required=True, metavar="UID", help="The claim the span is linked to.")
@as_option
@click.pass_obj
def role_command(options: Options, span: str, role: str, claim_uid: str, actor: str | None) -> None:
    """Change the role a span has in a claim."""
    store = options.open()
    change = store.set_role(_span_uids(store, [span])[0], audit.resolve_claim_uid(store, claim_uid), role,
                            actor=_actor(actor, store))
    echo(f"claim {change.claim_uid}: {_said(change)}")


@claims_command.command("set")
@db_option
@click.argument("uid")
@click.option("--summary", default=None, help="What the claim says (ClaimReview's claimReviewed; keep it short).")
@click.option("--claimant", default=None, help="Who made the claim.")
@click.option("--date", "claim_date", default=None, metavar="DATE", help="When it was made (ISO 8601; '' clears).")
@click.option("--verdict", default=None, metavar="RATING", help="A rating of the scale ('none' clears).")
@click.option("--explanation", default=None, help="Why the verdict.")
@click.option("--url", "review_url", default=None, help="Where the fact-check is published ('' clears).")
@as_option
@click.pass_obj
def set_command(options: Options, uid: str, summary: str | None, claimant: str | None, claim_date: str | None,
                verdict: str | None, explanation: str | None, review_url: str | None, actor: str | None) -> None:
    """Set a claim's fields and verdict, in one step."""
    store = options.open()
    claim_uid = audit.resolve_claim_uid(store, uid)
    fields = {name: value for name, value in (("summary", summary), ("claimant", claimant),
                                              ("claim_date", claim_date), ("review_url", review_url))
              if value is not None}
    if not fields and verdict is None and explanation is None:
        raise click.UsageError("give at least one of --summary, --claimant, --date, --verdict, --explanation, --url")
    who = _actor(actor, store)
    with store.transaction():
        if fields:
            store.edit_claim(claim_uid, actor=who, **fields)
        if verdict is not None or explanation is not None:
            rating = store.claim(claim_uid).verdict if verdict is None else (
                None if verdict.strip().casefold() in ("none", "") else verdict)
            store.set_verdict(claim_uid, rating, explanation, actor=who)
    claim = store.claim(claim_uid)
    echo(f"claim {claim.uid}: {claim.summary} — verdict: {claim.verdict or 'none yet'}")
    if summary is not None:   # the summary's warnings, when it was the one set
        _warn(claim)


@claims_command.command("merge")
@db_option
@click.argument("keep")
@click.argument("other")
@as_option
@click.pass_obj
def merge_claims_command(options: Options, keep: str, other: str, actor: str | None) -> None:
    """Merge OTHER into KEEP: two claims that turn out to be one (OTHER's spans move, OTHER goes)."""
    store = options.open()
    change = store.merge_claims(audit.resolve_claim_uid(store, keep), audit.resolve_claim_uid(store, other),
                                actor=_actor(actor, store))
    moved = len(change.links_added)
    echo(f"claim {change.claim_uid}: {count(moved, 'span')} moved, "
         f"{count(len(change.links_removed) - moved, 'duplicate link')} dropped")


@claims_command.command("delete")
@db_option
@click.argument("uid")
@as_option
@click.pass_obj
def delete_claim_command(options: Options, uid: str, actor: str | None) -> None:
    """Delete a claim and its links (the spans stay)."""
    store = options.open()
    change = store.delete_claim(audit.resolve_claim_uid(store, uid), actor=_actor(actor, store))
    echo(f"deleted claim {change.claim_uid} and {count(len(change.links_removed), 'link')}")


@claims_command.command("suggest")
@db_option
@click.argument("uid")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="How many sentences.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per sentence.")
@click.pass_obj
def suggest_command(options: Options, uid: str, limit: int, as_json: bool) -> None:
    """Rank the sentences of the database by how likely they state or deny the claim (best first).

    Sentences already linked to the claim, and ones rejected for it, are left
    out. The score is a TF-IDF cosine similarity (0 to 1); the role is a hint
    from the sentence's words.
    """
    from ..core.claim_suggestions import suggest_same_claim

    store = options.read()
    found = suggest_same_claim(store, audit.resolve_claim_uid(store, uid), limit=limit)
    if as_json:
        for s in found:
            echo_json({"article": s.article_id, "title": s.title, "source": s.source, "start": s.start,
                       "end": s.end, "text": s.text, "score": s.score, "role": s.role})
        return
    # Every column as wide as its widest cell, so the sentences start under each other.
    width = max((len(_offsets(s.start, s.end)) for s in found), default=0)
    if found:
        echo(f"{'score':<5}  {'article':>7}  {pad('offsets', width)}  {pad('role', 8)} {pad('title', 24)}  sentence")
    for s in found:
        echo(f"{s.score:.3f}  {s.article_id:>7}  {pad(_offsets(s.start, s.end), width)}  {pad(cut(s.role, 8), 8)}"
             f" {pad(cut(s.title, 24), 24)}  “{cut(s.text, 70)}”")
    echo(f"{count(len(found), 'suggestion')}", err=True)


def _offsets(start: int, end: int) -> str:
    return f"[{start}, {end})"


@click.group("article")
def article_command() -> None:
    """Article details: title, source, url and published date (the text never changes)."""


@article_command.command("set")
@db_option
@click.argument("article_id", type=int, metavar="ID")
@click.option("--title", default=None, help="The headline.")
@click.option("--source", default=None, help="The outlet ('' clears).")
@click.option("--url", default=None, help="Where it was published: an http(s) address ('' clears).")
@click.option("--published", default=None, metavar="DATE", help="When, ISO 8601 ('' clears).")
@as_option
@click.pass_obj
def article_set_command(options: Options, article_id: int, title: str | None, source: str | None, url: str | None,
                        published: str | None, actor: str | None) -> None:
    """Change an article's details (one audited event)."""
    changes = {k: v for k, v in (("title", title), ("source", source), ("url", url), ("published", published))
               if v is not None}
    if not changes:
        raise click.UsageError("give at least one of --title, --source, --url, --published")
    store = options.open()
    article = store.edit_article(article_id, actor=_actor(actor, store), **changes)
    echo(f"article {article.id}: {article.title} | {article.source or '-'} | {article.url or '-'} |"
         f" {article.published or '-'}")


# A negative number is a value, not an option: refused by the setting's own rule, in its words.
@click.command("settings", context_settings={"ignore_unknown_options": True})
@db_option
@click.argument("key", required=False, type=click.Choice(list(SETTINGS)), metavar="[KEY]")
@click.argument("value", required=False)
@click.option("--clear", is_flag=True, help="Clear KEY.")
@as_option
@click.pass_obj
def settings_command(options: Options, key: str | None, value: str | None, clear: bool, actor: str | None) -> None:
    """Show the database's settings, or set one: who publishes the fact-checks (ClaimReview export).

    Keys: organisation, organisation_url, review_url (the page holding the
    fact-checks when a claim names none of its own), retrain_every (the
    workspace retrains the local model after this many changes to spans; 0: never).
    """
    store = options.open()
    if key is not None and (value is not None or clear):
        store.set_setting(key, None if clear else value, actor=_actor(actor, store))
    values = store.settings()
    for name, what in SETTINGS.items():
        if key is None or name == key:
            echo(f"{name:<17} {values.get(name, '-')}    ({what})")
