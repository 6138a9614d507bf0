"""Commands for suggestions: suggest, suggestions (accept, reject), train, cues."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..core.suggestions import (
    DEFAULT_LANGUAGE,
    DEFAULT_MODEL,
    ORDERS,
    STATES,
    Suggestion,
    SuggestReport,
    resolve_suggestion_uid,
)
from . import PROG, Options, count, cut, db_option, pad
from .claims import _actor, as_option, echo, echo_json


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int, str], bool]]:
    """A progress bar on stderr when it is a terminal; the callback the core functions take."""
    bar: Any = click.progressbar(length=1, label=label, file=sys.stderr) if sys.stderr.isatty() else None

    def progress(done: int, total: int, _what: str) -> bool:
        if bar is not None and total > 1:
            bar.length = total
            bar.update(done - bar.pos)
        return True

    try:
        yield progress
    finally:
        if bar is not None and bar.pos:
            bar.render_finish()


def _said(report: SuggestReport) -> str:
    made = ", ".join(f"{n:,} {label}" for label, n in sorted(report.created.items()))
    made = f"new suggestions: {made}" if made else "nothing new"
    parts = [f"{report.source}: {count(report.articles, 'article')}, {made}"]
    for n, words in ((report.rescored, "rescored"), (report.withdrawn, "withdrawn (no longer proposed)"),
                     (report.decided_before, "accepted or rejected before"),
                     (report.tagged_already, "tagged already")):
        if n:
            parts.append(f"{n:,} {words}")
    parts += [f"{label} not offered: {why}" for label, why in sorted(report.withheld.items())]
    return "; ".join(parts)


@click.command("suggest")
@db_option
@click.option("--source", "sources", type=click.Choice(["rules", "model"]), multiple=True,
              help="Where suggestions come from (repeatable; default: rules, and the model if one is trained).")
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID", help="Only this article (repeatable).")
@click.option("--model", "model_name", default=DEFAULT_MODEL, show_default=True, metavar="NAME",
              help="The trained model to use.")
@click.option("--language", default=None, metavar="CODE", help="Only the cues of this language (default: all).")
@as_option
@click.pass_obj
def suggest_command(options: Options, sources: tuple[str, ...], article_ids: tuple[int, ...], model_name: str,
                    language: str | None, actor: str | None) -> None:
    """Propose spans to tag, from the cue rules and the local model; print how many per label.

    Suggestions are not annotations: review them with 'annotator suggestions'
    (or in the workspace). A run replaces the open suggestions of its source
    in those articles; accepted and rejected ones are never proposed again.
    """
    from ..core.suggest_model import suggest_with_model
    from ..core.suggest_rules import suggest_with_rules

    store = options.open()
    for article_id in article_ids:
        store.article(article_id)   # an unknown id is an error, not an empty run
    wanted = list(sources) or ["rules"] + (["model"] if store.stored_model(model_name) is not None else [])
    who = _actor(actor, store)
    for source in wanted:
        with _progress(source) as progress:
            if source == "rules":
                report = suggest_with_rules(store, article_ids, actor=who, progress=progress, language=language)
            else:
                report = suggest_with_model(store, article_ids, actor=who, name=model_name, progress=progress)
        echo(_said(report))
    echo(f"{count(store.suggestion_count(), 'open suggestion')} in all", err=True)


def _json(s: Suggestion) -> dict[str, Any]:
    return {"uid": s.uid, "article": s.article_id, "start": s.start, "end": s.end, "label": s.label, "text": s.text,
            "source": s.source, "score": s.score, "reason": s.reason, "state": s.state, "created_at": s.created_at,
            "decided_by": s.decided_by, "decided_at": s.decided_at, "annotation": s.annotation_uid}


@click.group("suggestions", invoke_without_command=True)
@db_option
@click.option("--state", "states", type=click.Choice(STATES), multiple=True,
              help="Only suggestions in this state (repeatable; default: open).")
@click.option("--source", "sources", multiple=True, metavar="S",
              help="rules, model, import, or one source exactly (model:local, import:FILE); repeatable.")
@click.option("--label", "labels", multiple=True, metavar="L", help="Only this label (repeatable).")
@click.option("--article", "article_ids", multiple=True, type=int, metavar="ID", help="Only this article (repeatable).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None, help="Only scores at least this.")
@click.option("--max-score", type=click.FloatRange(0, 1), default=None, help="Only scores at most this.")
@click.option("--order", type=click.Choice(ORDERS), default="uncertainty", show_default=True,
              help="uncertainty: closest to 0.5 first (the ones a decision teaches the model most).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per suggestion instead of a table.")
@click.pass_context
def suggestions_command(ctx: click.Context, states: tuple[str, ...], sources: tuple[str, ...],
                        labels: tuple[str, ...], article_ids: tuple[int, ...], min_score: float | None,
                        max_score: float | None, order: str, limit: int | None, offset: int, as_json: bool) -> None:
    """List suggestions (open ones by default), most uncertain first; accept or reject them.

    Accepting one tags its span as an annotation by you; rejecting one means
    the same suggestion is never made again.
    """
    if ctx.invoked_subcommand is not None:
        return
    store = ctx.ensure_object(Options).open()
    filters: dict[str, Any] = {"states": states or ("open",), "sources": sources, "labels": labels,
                               "article_ids": article_ids, "min_score": min_score, "max_score": max_score}
    rows = store.suggestion_rows(**filters, order=order, offset=offset, limit=limit)
    if as_json:
        for row in rows:
            echo_json(_json(row))
        return
    if not rows:
        echo(f"no suggestions match; make some with '{PROG} suggest'", err=True)
        return
    # Whole uids: they are UUIDv7, and every uid made within a minute shares its first 8 digits.
    echo(f"{'uid':<36}  {'state':<8} {'score':>5}  {'label':<11} {'source':<16} {'article':>7}  text")
    for s in rows:
        score = "-" if s.score is None else f"{s.score:.2f}"
        echo(f"{s.uid}  {s.state:<8} {score:>5}  {pad(cut(s.label, 11), 11)} {pad(cut(s.source, 16), 16)}"
             f" {s.article_id:>7}  {cut(s.text, 60)}")
    echo(f"{len(rows)} of {count(store.suggestion_count(**filters), 'suggestion')}", err=True)


@suggestions_command.command("accept")
@db_option
@click.argument("uid")
@click.option("--label", default=None, metavar="L", help="Tag it with this label instead of the one suggested.")
@as_option
@click.pass_obj
def accept_command(options: Options, uid: str, label: str | None, actor: str | None) -> None:
    """Accept a suggestion: its span becomes an annotation by you (UID: any unique start of it will do)."""
    store = options.open()
    who = _actor(actor, store)
    change = store.accept_span_suggestion(resolve_suggestion_uid(store, uid), annotator=who, label=label)
    made = change.annotation
    suggestion = change.suggestion
    assert suggestion is not None
    if made is None:
        echo(f"accepted: {who} had tagged this already (annotation {suggestion.annotation_uid})")
    else:
        echo(f"accepted as {made.label}: annotation {made.uid} [{made.start}, {made.end}) {cut(made.text, 60)}")


@suggestions_command.command("reject")
@db_option
@click.argument("uid")
@as_option
@click.pass_obj
def reject_command(options: Options, uid: str, actor: str | None) -> None:
    """Reject a suggestion: the same one (article, offsets, label, kind of source) is not made again."""
    store = options.open()
    change = store.reject_span_suggestion(resolve_suggestion_uid(store, uid), actor=_actor(actor, store))
    suggestion = change.suggestion
    assert suggestion is not None
    echo(f"rejected: {suggestion.label} [{suggestion.start}, {suggestion.end}) {cut(suggestion.text, 60)}")


@click.command("train")
@db_option
@click.option("--name", default=DEFAULT_MODEL, show_default=True, metavar="NAME",
              help="The model's name (its suggestions' source is model:NAME).")
@click.option("--accepted-only", is_flag=True, help="Learn only from spans a reviewer accepted (default: accepted"
              " and pending spans, never one that was rejected).")
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Cross-validation folds (by article; 0: none).")
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
@as_option
@click.pass_obj
def train_command(options: Options, name: str, accepted_only: bool, folds: int, as_json: bool,
                  actor: str | None) -> None:
    """Train the local model on this database's spans; print cross-validated precision, recall and F1 per label."""
    from ..core.suggest_model import MIN_EXAMPLES, MIN_F1, train

    store = options.open()
    with _progress("training") as progress:
        report = train(store, actor=_actor(actor, store), name=name, folds=folds, progress=progress,
                       statuses=("accepted",) if accepted_only else ("accepted", "pending"))
    if as_json:
        echo_json({"model": report.name, "spans": report.spans, "units": report.units, "articles": report.articles,
                   "unfit": report.unfit, "folds": report.folds, "labels": report.metrics,
                   "not_offered": report.withheld})
        return
    echo(f"model {report.name}: learnt from {count(report.spans, 'span')} in {count(report.articles, 'article')}"
         f" ({count(report.units, 'sentence or clause', 'sentences and clauses')} as examples"
         + (f"; {count(report.unfit, 'span')} fitting no sentence or clause" if report.unfit else "") + ")")
    if not report.folds:
        echo("not cross-validated: that needs spans in two articles or more (and --folds 2 or more); until it is,"
             " its suggestions are not offered (their quality is unknown)")
        return
    echo(f"cross-validated by article ({report.folds} folds), per sentence or clause:")
    echo(f"  {'label':<14} {'examples':>8} {'precision':>9} {'recall':>6} {'F1':>5}  suggestions")
    for label, m in report.metrics.items():
        offered = "not offered" if label in report.withheld else "offered"
        echo(f"  {pad(cut(label, 14), 14)} {m['examples']:>8} {m['precision']:>9.2f} {m['recall']:>6.2f}"
             f" {m['f1']:>5.2f}  {offered}")
    if report.withheld:
        echo(f"not offered (a label needs F1 {MIN_F1:.2f} or more and {MIN_EXAMPLES} examples): "
             + "; ".join(f"{label}: {why}" for label, why in report.withheld.items()))
    echo("a model suggestion's score is how often one scored like it was right on articles the model had not seen")


@click.group("cues", invoke_without_command=True)
@db_option
@click.option("--label", default=None, metavar="L", help="Only this label's cues.")
@click.option("--language", default=None, metavar="CODE", help="Only this language's cues (en, de, ...).")
@click.pass_context
def cues_command(ctx: click.Context, label: str | None, language: str | None) -> None:
    """List the cue phrases the rules look for, per label and language; add or remove them.

    A phrase matches case-insensitively between word boundaries; a trailing
    '*' on a word matches any ending, '#' one digit, '"' any quotation mark.
    """
    if ctx.invoked_subcommand is not None:
        return
    for cue in ctx.ensure_object(Options).open().cues(label=label, language=language):
        echo(f"{pad(cut(cue.label, 14), 14)} {cue.language:<4} {cue.phrase}")


def _cue_change(verb: str) -> Callable[..., None]:
    @db_option
    @click.argument("label")
    @click.argument("phrase")
    @click.option("--language", default=DEFAULT_LANGUAGE, show_default=True, metavar="CODE")
    @as_option
    @click.pass_obj
    def change(options: Options, label: str, phrase: str, language: str, actor: str | None) -> None:
        store = options.open()
        operation = store.add_cue if verb == "add" else store.remove_cue
        cue = operation(label, phrase, language=language, actor=_actor(actor, store))
        echo(f"{'added' if verb == 'add' else 'removed'} {cue.label} cue {cue.phrase!r} ({cue.language})")

    return change


cues_command.command("add", help="Add a cue phrase to a label (the next 'annotator suggest' uses it).")(
    _cue_change("add"))
cues_command.command("remove", help="Remove a cue phrase from a label.")(_cue_change("remove"))

