"""Commands for reviewers: history, verify, queue, compare, agreement, merge."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import orjson

from ..core import audit
from ..core.agreement import AgreementReport, Scores, agreement
from ..core.compare import accept_agreements as accept_identical
from ..core.compare import compare
from ..core.errors import AnnotatorError, NotFoundError
from ..core.merge import Colleague, merge_database, read_colleague
from ..core.model import STATUSES
from ..core.paths import login_name
from ..core.review import QueueFilter, check_filter, stream
from ..core.store import Store
from ..core.words import short_uid
from . import PROG, Options, TerminalWait, acting, count, cut, db_option, pad, say, spelled


@click.command("history")
@db_option
@click.argument("uid")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event instead of text.")
@click.pass_obj
def history_command(options: Options, uid: str, as_json: bool) -> None:
    """Show the full history of one annotation (or claim): who changed what, when, before and after.

    UID may be the first few characters of the annotation's (or claim's) uid.
    A claim's history holds its links and rejected suggestions too.
    """
    store = options.read()
    try:
        resolved = audit.resolve_annotation_uid(store, uid)
    except NotFoundError:
        if not store.find_claim_uids(uid):
            raise
        _claim_history(store, audit.resolve_claim_uid(store, uid), as_json)
        return
    found = audit.annotation_history(store, resolved)
    if as_json:
        for e in found.entries:
            say(orjson.dumps({
                "event": e.event_uid, "at": e.at, "actor": e.actor, "action": e.action,
                "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in e.changes],
                "origin": e.origin or None,
            }).decode())
        return
    current = found.current
    where = f'article {found.article.id} "{cut(found.article.title, 50)}"' if found.article else "unknown article"
    if current is None:
        say(f"annotation {found.uid} (deleted), {where}")
    else:
        say(f"annotation {found.uid}: {current.label} [{current.start}, {current.end}) "
                   f"“{cut(current.text, 60)}” by {current.annotator}, {current.status}, {where}")
    width = max((len(e.actor) for e in found.entries), default=5)
    for e in found.entries:
        say(f"  {e.at}  {e.actor:<{width}}  {e.action:<8}  {e.describe()}" + _origin(e))


def _claim_history(store: Store, uid: str, as_json: bool) -> None:
    entries = audit.claim_history(store, uid)
    if as_json:
        for e in entries:
            say(orjson.dumps({
                "event": e.event_uid, "at": e.at, "actor": e.actor, "entity": e.entity, "action": e.action,
                "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in e.changes],
                "origin": e.origin or None,
            }).decode())
        return
    state = f"“{cut(store.claim(uid).summary, 60)}”" if store.has_claim(uid) else "(deleted)"
    say(f"claim {uid}: {state}")
    width = max((len(e.actor) for e in entries), default=5)
    for e in entries:
        say(f"  {e.at}  {e.actor:<{width}}  {e.action:<8}  {cut(e.describe(), 160)}" + _origin(e))


def _origin(entry: audit.HistoryEntry) -> str:
    # Where a merged event came from: the log alone cannot tell whose word it is (docs/review.md).
    return f"  [{entry.origin}]" if entry.origin else ""


@click.command("verify")
@db_option
@click.option("--head", metavar="HASH",
              help="A head hash noted from an earlier verify (at least its first 16 hexadecimal digits):"
                   " check it is still in the log.")
@click.pass_obj
def verify_command(options: Options, head: str | None) -> None:
    """Check that the event log is intact and that the tables match it.

    Runs SQLite's integrity check of the file, recomputes the hash chain and
    names the first event altered, removed or moved, then replays the log
    against the annotations. Lists where merged events came from. Exit status
    0 when intact, 1 when not. Note the printed head hash somewhere safe:
    '--head' then also catches a log rewritten from scratch or cut back.
    """
    report = audit.verify(options.read(), head=head)
    for line in report.summary().split("\n"):  # one finding a line; data inside each is escaped
        say(line)
    if not report.ok:
        click.get_current_context().exit(1)


@click.command("queue")
@db_option
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID", help="Only this article (repeatable).")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only this label (repeatable).")
@click.option("--annotator", "annotators", multiple=True, metavar="A", help="Only this annotator (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only this review status (repeatable; default: pending).")
@click.option("--all", "all_statuses", is_flag=True, help="Every review status.")
@click.pass_obj
def queue_command(options: Options, article_ids: tuple[int, ...], labels: tuple[str, ...],
                  annotators: tuple[str, ...], statuses: tuple[str, ...], all_statuses: bool) -> None:
    """List the review queue: annotations in review order (article, then position)."""
    if not statuses and not all_statuses:
        statuses = ("pending",)
    store = options.read()
    flt = QueueFilter(article_ids=article_ids, labels=labels, annotators=spelled(store, annotators),
                      statuses=() if all_statuses else statuses)
    check_filter(store, article_ids=flt.article_ids, labels=flt.labels, annotators=flt.annotators)
    # Streamed, so the offsets column is as wide as the longest article's offsets can be.
    longest = store.longest_article()
    width = len(f"[{longest}, {longest})")
    shown = 0
    for a in stream(store, flt):
        span = f"[{a.start}, {a.end})"
        say(f"{short_uid(a.uid)}  {a.article_id:>5}  {span:<{width}}  {pad(cut(a.label, 12), 12)} "
                   f"{pad(cut(a.annotator, 12), 12)} {a.status:<8}  “{cut(a.text, 50)}”")
        shown += 1
    say(f"{count(shown, 'annotation')} in the queue", err=True)


@click.command("compare")
@db_option
@click.option("--article", "article_id", required=True, type=int, metavar="ID", help="The article to compare on.")
@click.argument("annotator_a")
@click.argument("annotator_b")
@click.option("--accept-agreements", is_flag=True,
              help="Accept into the gold set one copy of each span both tagged identically (the other is"
                   " marked a duplicate).")
@click.option("--as", "reviewer", default=None, metavar="NAME", help="The reviewer (default: your annotator name).")
@click.pass_obj
def compare_command(options: Options, article_id: int, annotator_a: str, annotator_b: str,
                    accept_agreements: bool, reviewer: str | None) -> None:
    """List where two annotators disagree on one article, in text order."""
    store = options.open() if accept_agreements else options.read()
    annotator_a, annotator_b = spelled(store, (annotator_a, annotator_b))
    # Who accepts is checked before anything is listed: a bad name refuses the whole command.
    who = acting(store, reviewer) if accept_agreements else ""
    result = compare(store, article_id, annotator_a, annotator_b)
    for d in result.disagreements:
        say(d.describe())
    agree = "agrees" if len(result.agreements) == 1 else "agree"
    say(f"{count(len(result.agreements), 'span')} {agree} exactly, "
               f"{count(len(result.disagreements), 'disagreement')}", err=True)
    if accept_agreements:
        changed = accept_identical(store, result, reviewer=who)
        say(f"accepted {count(len(changed) // 2, 'span')} both agree on", err=True)


@click.command("agreement")
@db_option
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--annotators", "annotators_flag", is_flag=True,
              help="Marks the names that follow as the annotators to compare (default: everyone with spans).")
@click.option("--annotator", "annotators", multiple=True, metavar="A", help="An annotator to compare (repeatable).")
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID",
              help="Only this article (repeatable; default: every article one of them annotated).")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only this label (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="The whole report as one JSON object.")
@click.pass_obj
def agreement_command(options: Options, names: tuple[str, ...], annotators_flag: bool, annotators: tuple[str, ...],
                      article_ids: tuple[int, ...], labels: tuple[str, ...], as_json: bool) -> None:
    """Agreement between annotators: span precision/recall/F1, Cohen's kappa, Krippendorff's alpha, claim links.

    Usage: annotator agreement [--annotators A B ...] [--article ID] [--label L].
    Span figures take the first of each pair as the reference (exact and overlap
    match, per label and overall); kappa (each pair) and alpha (all together)
    are computed per character. When spans are linked to claims, how far each
    pair agrees on which spans belong to the same claim: pairwise precision,
    recall and F1 over span pairs (spans matched by overlap) and B-cubed, per role.
    """
    if annotators_flag and not names:
        raise click.UsageError("name the annotators after --annotators")
    store = options.read()
    report = agreement(store, annotators=spelled(store, [*annotators, *names]), article_ids=article_ids,
                       labels=labels)
    if as_json:
        say(orjson.dumps(_agreement_json(report), option=orjson.OPT_INDENT_2).decode(), lines=True)
        return
    say(f"annotators: {', '.join(report.annotators)}; {len(report.article_ids)} "
               f"{'article' if len(report.article_ids) == 1 else 'articles'}, {count(report.characters, 'character')}; "
               f"labels: {', '.join(report.labels) or 'none'}")
    if report.without_spans:
        say(f"no span in scope, left out of alpha (their pairs: n/a): {', '.join(report.without_spans)}")
    say("")
    say("span level (B against A as reference)      exact match            overlap match")
    say(f"{'A':<10} {'B':<10} {'label':<12} {'A':>4} {'B':>4}   {'P':>5} {'R':>5} {'F1':>5}   "
               f"{'P':>5} {'R':>5} {'F1':>5}")
    for pair in report.pairs:
        for row in pair.spans:
            say(f"{cut(pair.a, 10):<10} {cut(pair.b, 10):<10} {cut(row.label or 'all', 12):<12} "
                       f"{row.a_spans:>4} {row.b_spans:>4}   {_prf(row.exact)}   {_prf(row.overlap)}")
    say("")
    say("per character (label 'all': the set of labels covering each character)")
    header = ["all", *report.labels]
    say(f"{'':<28}" + "".join(f"{cut(h, 10):>11}" for h in header))
    for pair in report.pairs:
        say(f"{cut(f'kappa {pair.a} ~ {pair.b}', 28):<28}"
                   + "".join(f"{_num(f.value):>11}" for f in pair.kappa))
    say(f"{'alpha (all annotators)':<28}" + "".join(f"{_num(f.value):>11}" for f in report.alpha))
    if report.links:
        say("")
        say("claim links (B against A; spans matched by overlap)   pairs of spans in one claim       B-cubed")
        say(f"{'A':<10} {'B':<10} {'role':<9} {'A':>5} {'B':>5} {'both':>5}   {'P':>5} {'R':>5} {'F1':>5}   "
                   f"{'items':>5} {'P':>5} {'R':>5} {'F1':>5}")
        for pair in report.links:
            for row in pair.rows:
                say(f"{cut(pair.a, 10):<10} {cut(pair.b, 10):<10} {row.role or 'all':<9} {row.a_pairs:>5}"
                           f" {row.b_pairs:>5} {row.found_pairs:>5}   {_prf(row.pairs)}   {row.items:>5}"
                           f" {_prf(row.bcubed)}")


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _prf(s: Scores) -> str:
    return f"{_num(s.precision):>5} {_num(s.recall):>5} {_num(s.f1):>5}"


def _agreement_json(report: AgreementReport) -> dict[str, Any]:
    def scores(s: Scores) -> dict[str, float | None]:
        return {"precision": s.precision, "recall": s.recall, "f1": s.f1}

    return {
        "annotators": list(report.annotators), "articles": list(report.article_ids), "labels": list(report.labels),
        "characters": report.characters, "without_spans": list(report.without_spans),
        "pairs": [{
            "a": pair.a, "b": pair.b,
            "spans": [{"label": r.label, "a_spans": r.a_spans, "b_spans": r.b_spans,
                       "exact_matches": r.exact_matches, "exact": scores(r.exact),
                       "a_overlapped": r.a_overlapped, "b_overlapped": r.b_overlapped, "overlap": scores(r.overlap)}
                      for r in pair.spans],
            "kappa": [{"label": f.label, "value": f.value} for f in pair.kappa],
        } for pair in report.pairs],
        "alpha": [{"label": f.label, "value": f.value} for f in report.alpha],
        "links": [{
            "a": pair.a, "b": pair.b, "matched_spans": pair.matched_spans,
            "roles": [{"role": r.role, "a_pairs": r.a_pairs, "b_pairs": r.b_pairs, "found_pairs": r.found_pairs,
                       "pairs": scores(r.pairs), "items": r.items, "bcubed": scores(r.bcubed)} for r in pair.rows],
        } for pair in report.links],
    }


@click.command("merge")
@db_option
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be merged, and change nothing.")
@click.option("--as", "actor", default=None, metavar="NAME", help="Who merges (default: your login name).")
@click.pass_obj
def merge_command(options: Options, others: Sequence[Path], dry_run: bool, actor: str | None) -> None:
    """Merge colleagues' databases into this one (articles, annotations, history).

    The other files are only read. Merging the same file twice changes nothing.
    An annotation changed on both machines keeps both versions in its history
    and the later one as current; each such conflict is listed.
    """
    store = options.open()
    who = acting(store, actor or login_name())
    # Every file is opened and checked (its log verifies) before any is merged: a typo or a tampered
    # file named last must not stop the command half way, with the first files already in.
    colleagues: list[Colleague] = []
    try:
        for other in others:
            colleagues.append(read_colleague(store, other, waiting=TerminalWait(Path(other), f"'{PROG} merge'")))
    except AnnotatorError as exc:
        for colleague in colleagues:
            colleague.close()
        every = " (no file was merged: each is checked before any is)" if len(others) > 1 else ""
        raise AnnotatorError(f"{exc}{every}") from exc
    merged: list[str] = []
    for i, colleague in enumerate(colleagues):
        try:
            report = merge_database(store, colleague, actor=who, dry_run=dry_run)
        except AnnotatorError as exc:
            for rest in colleagues[i + 1:]:
                rest.close()
            done = f"; merged before it: {', '.join(merged)}" if merged else ""
            later = [str(c.path) for c in colleagues[i + 1:]]
            raise AnnotatorError(f"{colleague.path}: {exc}{done}"
                                 + (f"; not merged: {', '.join(later)}" if later else "")) from exc
        if report.changed and not dry_run:
            merged.append(str(colleague.path))
        say(report.summary())
        for conflict in (*report.conflicts, *report.claim_conflicts):
            say(f"  conflict: {conflict.describe()}")
        for note in report.notes:
            say(f"  note: {note}")
