"""ClaimReview: schema.org JSON-LD, one object per claim that has a verdict (a JSON array of them).

Google's Fact Check markup documentation (developers.google.com/search/docs/
appearance/structured-data/factcheck) names what it requires and recommends;
``REQUIRED`` and ``RECOMMENDED`` below list them, and every object written is
checked against them. A claim missing a required field is reported and not
written: a search engine drops such markup, and a silent omission would be
found only after publishing. A missing recommended field is said in a warning.

Where the values come from:

- ``claimReviewed``: the claim's summary; ``url``: the claim's fact-check
  address, else the database setting ``review_url``; ``datePublished``: the day
  the verdict was given; ``author``: the ``organisation`` setting (and
  ``organisation_url``).
- ``reviewRating``: the verdict's name as ``alternateName`` (the text readers
  see), its value on the database's rating scale as ``ratingValue``, the
  scale's highest and lowest values as ``bestRating`` and ``worstRating``, the
  explanation as ``ratingExplanation``.
- ``itemReviewed``: a ``Claim`` whose ``author`` is the claimant (as an
  ``Organization``: the database does not say whether a claimant is a person),
  ``datePublished`` the claim date, else the earliest published date of the
  articles that state or deny it, else nothing (a missing recommended field,
  said in a warning: the day someone tagged it is not when it was claimed),
  ``appearance`` every article that states it (url, headline, publisher) and
  ``firstAppearance`` the earliest of them by published date.

Every address and date is written only if the app would accept it as typed
(``model.valid_url``, ``model.valid_date``): a database written by an older
version or another program may hold "next tuesday" or ``javascript:...``,
and markup that publishes them is worse than markup without them.

Google announced it is phasing ClaimReview out of its search results; the
Fact Check Explorer and other fact-check aggregators still read it.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import orjson

from ..model import valid_date, valid_url
from ..words import count
from .base import ClaimsWritten, Format

if TYPE_CHECKING:
    from ..claims import Claim
    from ..exporter import ExportFilter
    from ..model import Article
    from ..store import Store

REQUIRED: tuple[str, ...] = ("claimReviewed", "reviewRating", "reviewRating.alternateName", "url")
RECOMMENDED: tuple[str, ...] = (
    "author", "author.name", "datePublished", "itemReviewed", "itemReviewed.author", "itemReviewed.datePublished",
    "itemReviewed.appearance", "itemReviewed.firstAppearance", "reviewRating.bestRating", "reviewRating.ratingValue",
    "reviewRating.worstRating",
)


def field_value(obj: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a ClaimReview object (None if any step is missing)."""
    value: Any = obj
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def missing(obj: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    return [f for f in fields if field_value(obj, f) in (None, "", [])]


def _work(article: Article) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    url, published = valid_url(article.url), valid_date(article.published)
    if url:
        work["url"] = url
    if published:
        work["datePublished"] = published
    if article.source:
        work["publisher"] = {"@type": "Organization", "name": article.source}
    return work


def _by_date(articles: list[Article]) -> list[Article]:
    """Oldest valid published date first, undated (or wrongly dated) last; the order given otherwise kept."""
    return sorted(articles, key=lambda a: (valid_date(a.published) is None, valid_date(a.published) or ""))


def claim_review(claim: Claim, *, appearances: list[Article], value: float | None, best: float | None,
                 worst: float | None, settings: dict[str, str], answered: list[Article] = ()) -> dict[str, Any]:
    """One ClaimReview object; fields with no (valid) value are left out rather than written empty.

    ``appearances``: the articles stating the claim; ``answered``: those denying it.
    """
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.verdict}
    if value is not None:
        rating.update(ratingValue=_number(value), bestRating=_number(best), worstRating=_number(worst))
    if claim.explanation:
        rating["ratingExplanation"] = claim.explanation
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {"@type": "Organization", "name": claim.claimant}
    appearances = _by_date(appearances)
    dated = [d for d in (valid_date(a.published) for a in [*appearances, *answered]) if d]
    date = valid_date(claim.claim_date) or min(dated, default=None)
    if date:
        item["datePublished"] = date
    if appearances:
        item["appearance"] = [_work(a) for a in appearances]
        item["firstAppearance"] = _work(appearances[0])
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
    url = valid_url(claim.review_url) or valid_url(settings.get("review_url"))
    if url:
        review["url"] = url
    review["claimReviewed"] = claim.summary
    reviewed = valid_date(claim.reviewed_at)
    if reviewed:
        review["datePublished"] = reviewed[:10]
    if settings.get("organisation"):
        author = {"@type": "Organization", "name": settings["organisation"]}
        if valid_url(settings.get("organisation_url")):
            author["url"] = settings["organisation_url"].strip()
        review["author"] = author
    review["reviewRating"] = rating
    review["itemReviewed"] = item
    return review


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def write_claims(store: Store, flt: ExportFilter, out: IO[bytes]) -> ClaimsWritten:
    written = ClaimsWritten()
    scale = {r.name: r.value for r in store.ratings()}
    best, worst = (max(scale.values()), min(scale.values())) if scale else (None, None)
    settings = store.settings()
    chosen = None
    if flt.labels or flt.annotators or flt.statuses or flt.article_ids:
        spans = store.annotations(labels=list(flt.labels), annotators=list(flt.annotators),
                                  statuses=list(flt.statuses), article_ids=list(flt.article_ids))
        chosen = store.claims_linked_to(a.uid for a in spans)
    reviews = []
    unjudged = 0
    gaps: dict[str, int] = {}
    for claim in store.claims():
        uid = claim.uid
        if chosen is not None and uid not in chosen:
            continue
        if claim.verdict is None:
            unjudged += 1
            continue
        review = claim_review(claim, appearances=store.stating_articles(uid), value=scale.get(claim.verdict),
                              best=best, worst=worst, settings=settings,
                              answered=store.stating_articles(uid, roles=("denies",)))
        lacking = missing(review, REQUIRED)
        if lacking:
            written.warnings.append(f"claim {uid} (“{claim.summary[:40]}”) not written: it lacks the required"
                                    f" {', '.join(lacking)}" + (" (set the claim's fact-check url, or the"
                                                               " review_url setting)" if "url" in lacking else ""))
            continue
        for name in missing(review, RECOMMENDED):
            gaps[name] = gaps.get(name, 0) + 1
        reviews.append(review)
    if unjudged:
        written.warnings.append(f"{count(unjudged, 'claim')} with no verdict yet not written: a ClaimReview is a"
                                " verdict")
    for name, n in sorted(gaps.items()):
        written.warnings.append(f"{count(n, 'ClaimReview')} {'lacks' if n == 1 else 'lack'} the recommended {name}")
    out.write(orjson.dumps(reviews, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    written.claims = written.rows = len(reviews)
    return written


FORMAT = Format(
    name="claimreview",
    description="schema.org ClaimReview JSON-LD: one object per claim with a verdict (fact-check markup)",
    extensions=(),
    write_claims=write_claims,
    suffix=".json",
)
