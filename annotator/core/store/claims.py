"""Claims, links, the rating scale, rejected suggestions and settings (docs/claims.md).

Every operation is one transaction that writes its rows and one event per row
it touches (entities ``claim``, ``link``, ``rating``, ``rejection``,
``setting``), and returns a ``ClaimChange`` saying what it did; applying that
change's inverse is its undo (``apply_claim_change``).

Deleting a span takes its links with it in the same transaction
(``remove_span``); ``restore_annotation`` with those links brings both back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..claims import (
    CLAIM_FIELDS,
    LABEL_OF_ROLE,
    ROLES,
    Claim,
    ClaimChange,
    ClaimRow,
    ClaimSpan,
    Link,
    Rating,
    Rejection,
    RemovedSpan,
    check_role,
    check_summary,
    default_role,
    summary_from_text,
)
from ..errors import ClaimError, FieldError, NotFoundError
from ..model import (
    Annotation,
    Article,
    Event,
    check_date,
    check_span,
    check_url,
    label_key,
    new_uid,
    now_iso,
    valid_date,
    valid_url,
)
from ..suggestions import check_retrain_every
from ..words import count
from .annotations import Annotations
from .events import NewEvent
from .sql import ARTICLE_COLUMNS, article_from, in_list

_CLAIM_COLUMNS = (
    "c.id, c.uid, c.summary, c.claimant, c.claim_date, r.name, c.explanation, c.review_url, c.reviewed_by,"
    " c.reviewed_at, c.created_by, c.created_at, c.updated_at"
)
_CLAIM_ROWS = "claims c LEFT JOIN ratings r ON r.id = c.rating_id"
_LINK_COLUMNS = "k.span_uid, k.claim_uid, k.role, k.created_by, k.created_at"
_REJECTION_COLUMNS = 'uid, claim_uid, article_id, start, "end", text, created_by, created_at'
_RATING_COLUMNS = "id, name, value, description, position"

RETRAIN_EVERY = 50
"""Changes to spans after which the workspace retrains the local model, unless the project sets ``retrain_every``."""

# What a fact-check export needs besides the claims: who publishes it; and how often the model learns again.
SETTINGS: dict[str, str] = {
    "organisation": "the organisation publishing the fact-checks (ClaimReview author)",
    "organisation_url": "the organisation's web address",
    "review_url": "the page holding the fact-checks, for claims that name none of their own",
    "retrain_every": "the workspace retrains the local model in the background after this many changes to spans"
                     f" since it was last trained (0: never; unset: {RETRAIN_EVERY})",
}

_Stats = tuple[dict[str, int], int, str | None, int | None, bool, dict[str, int]]
"""A claim's articles per role, links, first appearance, its article, whether that is a tag time, and its links
to rejected spans per role."""

# The one rule of what counts towards a claim (docs/claims.md): a link whose span a reviewer rejected does
# not (rejecting a span "not a denial" takes it out of the claim's denials); pending and accepted spans do.
# Written as a set of the rejected spans the query builds once: joining every link to its span instead
# took 4x as long (130 ms against 32 ms to count 45,000 links). The set costs with its size: with 20,000
# of 200,000 spans rejected, counting every claim took 216 ms (106 ms with none) and the dock's first
# page 18 ms (2 ms); benchmarks/bench_claims.py.
_COUNTED = "k.span_uid NOT IN (SELECT uid FROM annotations WHERE status = 'rejected')"

# What an ISO 8601 date (or date and time) starts with, for SQL to skip what is plainly no date.
_DATE_SHAPE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"

CLAIM_SORTS = ("created", "summary", "claimant", "verdict", "first_appearance", "states", "denies", "supports",
               "context", "spans")


def _claim(row: Sequence[Any]) -> Claim:
    return Claim(
        id=row[0], uid=row[1], summary=row[2], claimant=row[3], claim_date=row[4], verdict=row[5],
        explanation=row[6], review_url=row[7], reviewed_by=row[8], reviewed_at=row[9], created_by=row[10],
        created_at=row[11], updated_at=row[12],
    )


def _rejection(row: Sequence[Any]) -> Rejection:
    return Rejection(*row)


@dataclass(frozen=True)
class ClaimMark:
    """What drawing a span's claim badge needs: which claim, in which role, its number and summary."""

    span_uid: str
    claim_uid: str
    role: str
    number: int
    """The claim's row id: a small number that stays the same while the claim exists."""
    summary: str


@dataclass(frozen=True)
class AcceptedSuggestion:
    """A suggestion taken: the span (new, or the identical one already there) and the link made."""

    annotation: Annotation
    change: ClaimChange
    span_created: bool


class Claims(Annotations):
    # ------------------------------------------------------------ rating scale

    def ratings(self) -> list[Rating]:
        rows = self._conn.execute(f"SELECT {_RATING_COLUMNS} FROM ratings ORDER BY position, id").fetchall()
        return [Rating(*r) for r in rows]

    def rating(self, name: str) -> Rating:
        row = self._conn.execute(f"SELECT {_RATING_COLUMNS} FROM ratings WHERE name = ? COLLATE NOCASE",
                                 (name.strip(),)).fetchone()
        if row is None:
            known = ", ".join(r.name for r in self.ratings())
            raise ClaimError(f"unknown rating {name!r} (ratings: {known})")
        return Rating(*row)

    def has_rating(self, name: str) -> bool:
        return self._conn.execute("SELECT 1 FROM ratings WHERE name = ? COLLATE NOCASE",
                                  (name.strip(),)).fetchone() is not None

    def add_rating(self, name: str, value: float, description: str = "", *, actor: str) -> Rating:
        name = " ".join(name.split())
        if not name:
            raise ClaimError("a rating needs a name")
        if self.has_rating(name):
            raise ClaimError(f"a rating called {name!r} exists already")
        with self.transaction():
            rating = self.insert_rating_row(name, float(value), description)
            self.append_events([NewEvent("create", "rating", rating.name.casefold(), None, rating.as_values(),
                                         actor)])
        return rating

    def edit_rating(self, name: str, *, actor: str, value: float | None = None,
                    description: str | None = None) -> Rating:
        """Change a rating's value or description (its name is what verdicts and merges match on)."""
        with self.transaction():
            before = self.rating(name)
            after = replace(before, value=before.value if value is None else float(value),
                            description=before.description if description is None else description)
            if after == before:
                return before
            self._conn.execute("UPDATE ratings SET value = ?, description = ? WHERE id = ?",
                               (after.value, after.description, after.id))
            old, new = before.as_values(), after.as_values()
            changed = [k for k in new if old[k] != new[k]]
            self.append_events([NewEvent("edit", "rating", before.name.casefold(), {k: old[k] for k in changed},
                                         {k: new[k] for k in changed}, actor)])
        return after

    def remove_rating(self, name: str, *, actor: str) -> Rating:
        """Take a rating off the scale; refused while a claim's verdict uses it."""
        with self.transaction():
            rating = self.rating(name)
            used = self._conn.execute("SELECT count(*) FROM claims WHERE rating_id = ?", (rating.id,)).fetchone()[0]
            if used:
                raise ClaimError(f"the rating {rating.name!r} is the verdict of {count(used, 'claim')}; change"
                                 " those first")
            self._conn.execute("DELETE FROM ratings WHERE id = ?", (rating.id,))
            self.append_events([NewEvent("delete", "rating", rating.name.casefold(), rating.as_values(), None,
                                         actor)])
        return rating

    def insert_rating_row(self, name: str, value: float, description: str = "", position: int | None = None) -> Rating:
        """The rating's row (last on the scale unless placed), with no event: the caller records its own."""
        if position is None:
            position = self._conn.execute("SELECT coalesce(max(position), -1) + 1 FROM ratings").fetchone()[0]
        cur = self._conn.execute("INSERT INTO ratings (name, value, description, position) VALUES (?, ?, ?, ?)",
                                 (name, value, description, position))
        assert cur.lastrowid is not None
        return Rating(cur.lastrowid, name, value, description, position)

    def update_rating_row(self, name: str, values: dict[str, Any]) -> None:
        """Overwrite a rating's value, description and position (merge), with no event."""
        self._conn.execute("UPDATE ratings SET value = ?, description = ?, position = ? WHERE name = ? COLLATE NOCASE",
                           (values["value"], values["description"], values["position"], name))

    def rating_in_use(self, name: str) -> int:
        """How many claims have this rating as their verdict."""
        return self._conn.execute("SELECT count(*) FROM claims c JOIN ratings r ON r.id = c.rating_id"
                                  " WHERE r.name = ? COLLATE NOCASE", (name.strip(),)).fetchone()[0]

    def defer_foreign_keys(self) -> None:
        """Check the links between rows at commit instead of row by row (a merge writes them in its own order).

        SQLite turns this off again when the transaction ends.
        """
        self._conn.execute("PRAGMA defer_foreign_keys = ON")

    def erase_rating_row(self, name: str) -> None:
        self._conn.execute("DELETE FROM ratings WHERE name = ? COLLATE NOCASE", (name,))

    # ---------------------------------------------------------------- settings

    def setting(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def settings(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall())

    def set_setting(self, key: str, value: str | None, *, actor: str) -> str | None:
        """Set (or with None or "", clear) one of ``SETTINGS``: one event (``setting``)."""
        if key not in SETTINGS:
            raise FieldError(f"unknown setting {key!r} (settings: {', '.join(SETTINGS)})")
        value = " ".join((value or "").split()) or None
        if value is not None and key.endswith("url"):
            value = check_url(value, f"the {key}")
        if value is not None and key == "retrain_every":
            value = str(check_retrain_every(value))
        with self.transaction():
            before = self.setting(key)
            if before == value:
                return value
            self.write_setting_row(key, value)
            self.append_events([NewEvent("set", "setting", key, None if before is None else {"value": before},
                                         None if value is None else {"value": value}, actor)])
        return value

    def retrain_every(self) -> int:
        """After how many changes to spans the workspace retrains the local model (0: never)."""
        value = self.setting("retrain_every")
        try:
            return check_retrain_every(value) if value is not None else RETRAIN_EVERY
        except FieldError:   # written by another program: the default rather than a failure at every tag
            return RETRAIN_EVERY

    def write_setting_row(self, key: str, value: str | None) -> None:
        """The setting's row (None: none), with no event."""
        if value is None:
            self._conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            self._conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                               " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # ------------------------------------------------------------ reading claims

    def claim(self, uid: str) -> Claim:
        row = self._conn.execute(f"SELECT {_CLAIM_COLUMNS} FROM {_CLAIM_ROWS} WHERE c.uid = ?", (uid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no claim with uid {uid}")
        return _claim(row)

    def has_claim(self, uid: str) -> bool:
        return self._conn.execute("SELECT 1 FROM claims WHERE uid = ?", (uid,)).fetchone() is not None

    def claims(self, uids: Sequence[str] | None = None) -> list[Claim]:
        """Claims in the order they were made (or the ones named, in that order)."""
        if uids is None:
            rows = self._conn.execute(f"SELECT {_CLAIM_COLUMNS} FROM {_CLAIM_ROWS} ORDER BY c.id").fetchall()
            return [_claim(r) for r in rows]
        found = {c.uid: c for c in self._claims_in(uids)}
        return [found[u] for u in uids if u in found]

    def _claims_in(self, uids: Sequence[str]) -> list[Claim]:
        out: list[Claim] = []
        for chunk in _chunks(list(dict.fromkeys(uids))):
            out += [_claim(r) for r in self._conn.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM {_CLAIM_ROWS} WHERE {in_list('c.uid', chunk)}", chunk)]
        return out

    def claim_count(self, *, search: str = "", verdicts: Sequence[str | None] = ()) -> int:
        where, params = self._claim_filter(search, verdicts)
        return self._conn.execute(f"SELECT count(*) FROM {_CLAIM_ROWS}{where}", params).fetchone()[0]

    def find_claim_uids(self, typed: str) -> list[str]:
        """Claim uids (current or only in the log) that start or end with ``typed``."""
        return self.find_uids("claims", "claim", typed)

    def _claim_filter(self, search: str, verdicts: Sequence[str | None]) -> tuple[str, list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        needle = search.strip()
        if needle:
            from ..search import fold

            self._register_fold()
            conditions.append("instr(annotator_fold(c.summary || ' ' || c.claimant || ' ' || c.uid), ?) > 0")
            params.append(fold(needle))
        if verdicts:
            named = [self.rating(v).id for v in verdicts if v is not None]
            parts = []
            if named:
                parts.append(in_list("c.rating_id", named))
                params += named
            if any(v is None for v in verdicts):
                parts.append("c.rating_id IS NULL")
            conditions.append("(" + " OR ".join(parts) + ")")
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), params

    def _register_fold(self) -> None:
        if not getattr(self, "_fold_registered", False):
            from ..search import fold

            self._conn.create_function("annotator_fold", 1, lambda t: fold(t or ""), deterministic=True)
            self._fold_registered = True

    def claim_rows(
        self, *, search: str = "", verdicts: Sequence[str | None] = (), sort: str = "created",
        descending: bool = False, offset: int = 0, limit: int | None = None,
    ) -> list[ClaimRow]:
        """One page of the claims list, filtered (text folded as search does; verdicts, None: no verdict).

        Sorting by the claim's own fields pages in SQL and counts only the page;
        sorting by counts or first appearance counts every matching claim first.
        """
        if sort not in CLAIM_SORTS:
            raise ClaimError(f"unknown sort {sort!r} (sorts: {', '.join(CLAIM_SORTS)})")
        where, params = self._claim_filter(search, verdicts)
        direction = " DESC" if descending else ""
        column = {"created": "c.id", "summary": "c.summary COLLATE NOCASE", "claimant": "c.claimant COLLATE NOCASE",
                  "verdict": "r.position"}.get(sort)
        if column is not None:
            page = " LIMIT ? OFFSET ?" if limit is not None else ""
            rows = self._conn.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM {_CLAIM_ROWS}{where} ORDER BY {column}{direction}, c.id{direction}"
                f"{page}", [*params, *((limit, offset) if limit is not None else ())]).fetchall()
            claims = [_claim(r) for r in rows]
            stats = self._claim_stats([c.uid for c in claims])
            return [_claim_row(c, stats.get(c.uid)) for c in claims]
        claims = [_claim(r) for r in self._conn.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM {_CLAIM_ROWS}{where} ORDER BY c.id", params)]
        stats = self._claim_stats(None)
        found = [_claim_row(c, stats.get(c.uid)) for c in claims]
        if sort == "first_appearance":
            # Claims never stated anywhere go last either way.
            dated = sorted((r for r in found if r.first_appearance), key=lambda r: r.first_appearance or "",
                           reverse=descending)
            found = dated + [r for r in found if not r.first_appearance]
        elif sort == "spans":
            found.sort(key=lambda r: r.spans, reverse=descending)
        else:
            found.sort(key=lambda r: r.count(sort), reverse=descending)
        return found[offset:offset + limit] if limit is not None else found[offset:]

    def claim_row(self, uid: str) -> ClaimRow:
        """One claim's row of the claims list (a list showing it refreshes just that row after a change)."""
        return self.claim_rows_of([uid])[0]

    def claim_rows_of(self, uids: Sequence[str]) -> list[ClaimRow]:
        """The rows of the claims named, in that order (a list that keeps only uids fetches its visible rows)."""
        claims = self.claims(list(uids))
        if len(claims) != len(set(uids)):
            missing = sorted(set(uids) - {c.uid for c in claims})
            raise NotFoundError(f"no claim with uid {missing[0]}")
        stats = self._claim_stats([c.uid for c in claims])
        return [_claim_row(c, stats.get(c.uid)) for c in claims]

    def claim_uids(self, *, search: str = "", verdicts: Sequence[str | None] = (), sort: str = "created",
                   descending: bool = False) -> list[str]:
        """Every matching claim's uid in the order ``claim_rows`` lists them: what a lazy list keeps.

        Sorting by the claim's own fields reads only uids (about 2 ms for
        5,000 claims); sorting by counts counts every claim, as ``claim_rows`` does.
        """
        if sort not in CLAIM_SORTS:
            raise ClaimError(f"unknown sort {sort!r} (sorts: {', '.join(CLAIM_SORTS)})")
        column = {"created": "c.id", "summary": "c.summary COLLATE NOCASE", "claimant": "c.claimant COLLATE NOCASE",
                  "verdict": "r.position"}.get(sort)
        where, params = self._claim_filter(search, verdicts)
        if column is not None:
            direction = " DESC" if descending else ""
            return [r[0] for r in self._conn.execute(
                f"SELECT c.uid FROM {_CLAIM_ROWS}{where} ORDER BY {column}{direction}, c.id{direction}", params)]
        # The counts of every claim (kept until a write), and the order claim_rows gives, without
        # building a row per claim: the uids in creation order, then a stable sort on the counts.
        stats = self._claim_stats(None)
        uids = [r[0] for r in self._conn.execute(f"SELECT c.uid FROM {_CLAIM_ROWS}{where} ORDER BY c.id", params)]
        if sort == "first_appearance":
            dated = sorted((u for u in uids if u in stats and stats[u][2]), key=lambda u: stats[u][2] or "",
                           reverse=descending)
            return dated + [u for u in uids if not (u in stats and stats[u][2])]
        if sort == "spans":
            return sorted(uids, key=lambda u: stats[u][1] if u in stats else 0, reverse=descending)
        return sorted(uids, key=lambda u: stats[u][0].get(sort, 0) if u in stats else 0, reverse=descending)

    def _claim_stats(self, uids: Sequence[str] | None) -> dict[str, _Stats]:
        """Per claim: articles per role, links, first appearance and its article (all claims when ``uids`` is None).

        Every claim's figures are kept until this connection or another writes
        anything: paging through a list sorted by them (~130 ms to count 5,000
        claims with 45,000 links) then costs a sort, not a recount.
        """
        if uids is None:
            key = (self.data_version(), self._conn.total_changes)
            cached = getattr(self, "_all_claim_stats", None)
            if cached is not None and cached[0] == key:
                return cached[1]
            found = self._count_claims(None)
            self._all_claim_stats = (key, found)
            return found
        return self._count_claims(uids)

    def _count_claims(self, uids: Sequence[str] | None) -> dict[str, _Stats]:
        stats: dict[str, _Stats] = {}
        chunks: Iterable[Sequence[str] | None] = [None] if uids is None else _chunks(list(uids))
        for chunk in chunks:
            if chunk is not None and not chunk:
                continue
            condition = f" WHERE {in_list('k.claim_uid', chunk)}" if chunk is not None else ""
            params = list(chunk) if chunk is not None else []
            counts: dict[str, dict[str, int]] = {}
            totals: dict[str, int] = {}
            rejected: dict[str, dict[str, int]] = {}
            for claim_uid, role, articles, links, left_out in self._conn.execute(
                    f"SELECT k.claim_uid, k.role, count(DISTINCT CASE WHEN {_COUNTED} THEN k.article_id END),"
                    f" count(*), count(*) - sum({_COUNTED}) FROM links k{condition} GROUP BY k.claim_uid, k.role",
                    params):
                per_role = counts.setdefault(claim_uid, {})
                if articles:
                    per_role[role] = articles
                totals[claim_uid] = totals.get(claim_uid, 0) + links - left_out
                if left_out:
                    rejected.setdefault(claim_uid, {})[role] = left_out
            claim_condition = f" AND {in_list('uid', chunk)}" if chunk is not None else ""
            claim_dates = {uid: when for uid, when in self._conn.execute(
                f"SELECT uid, claim_date FROM claims WHERE claim_date IS NOT NULL{claim_condition}", params)
                if valid_date(when)}
            first = self._first_appearances(condition, params, counts, claim_dates)
            for claim_uid, per_role in counts.items():
                when, article_id, tagged = first.get(claim_uid, (None, None, False))
                stats[claim_uid] = (per_role, totals[claim_uid], when, article_id, tagged,
                                    rejected.get(claim_uid, {}))
            # A claim with a date of its own and no span yet: that date is when it first appeared.
            for claim_uid, claim_date in claim_dates.items():
                if claim_uid not in stats:
                    stats[claim_uid] = ({}, 0, claim_date, None, False, {})
        return stats

    def _first_appearances(self, condition: str, params: list[Any], counts: dict[str, dict[str, int]],
                           claim_dates: dict[str, str]) -> dict[str, tuple[str | None, int | None, bool]]:
        """When each claim (of those ``condition`` picks) first appeared, where, and whether that is a tag time.

        The earliest of its own date (``claim_dates``, valid ones) and the
        published dates of the articles that state or deny it (a denial dates
        the claim too: it answers something already said); a date the app would
        not accept is no date. Only a claim with none of these falls back to
        when its first stating or denying span was tagged: a time in the
        database, not in the world (docs/claims.md).

        SQL takes the earliest date shaped like one per claim (ISO 8601 sorts as
        text); Python checks it, and only a claim whose earliest is not a real
        date ("2025-13-45") has its articles' dates read one by one. Reading
        every (claim, article) pair instead cost 2.3x at 5,000 claims.
        """
        first: dict[str, tuple[str | None, int | None, bool]] = {}
        seen = condition + (" AND" if condition else " WHERE") + f" k.role IN ('states', 'denies') AND {_COUNTED}"
        found = self._conn.execute(
            "SELECT k.claim_uid, min(a.published), a.id FROM links k JOIN articles a ON a.id = k.article_id"
            f"{seen} AND a.published GLOB '{_DATE_SHAPE}' GROUP BY k.claim_uid", params).fetchall()
        odd = {uid for uid, published, _article in found if not valid_date(published)}
        found = [row for row in found if row[0] not in odd]
        for part in _chunks(sorted(odd)):
            by_claim: dict[str, tuple[str, int]] = {}
            for claim_uid, published, article_id in self._conn.execute(
                    "SELECT k.claim_uid, a.published, a.id FROM links k JOIN articles a ON a.id = k.article_id"
                    f" WHERE {in_list('k.claim_uid', part)} AND k.role IN ('states', 'denies') AND {_COUNTED}",
                    part):
                if valid_date(published) and (claim_uid not in by_claim or published < by_claim[claim_uid][0]):
                    by_claim[claim_uid] = (published, article_id)
            found += [(uid, published, article_id) for uid, (published, article_id) in by_claim.items()]
        for claim_uid, published, article_id in found:
            first[claim_uid] = (published, article_id, False)
        for claim_uid, claim_date in claim_dates.items():
            known = first.get(claim_uid)
            if claim_uid in counts and (known is None or claim_date < (known[0] or "")):
                first[claim_uid] = (claim_date, None, False)
        undated = [uid for uid, per_role in counts.items()
                   if ("states" in per_role or "denies" in per_role) and uid not in first]
        for part in _chunks(undated):
            for claim_uid, tagged, article_id in self._conn.execute(
                    "SELECT k.claim_uid, min(n.created_at), n.article_id FROM links k"
                    f" JOIN annotations n ON n.uid = k.span_uid WHERE {in_list('k.claim_uid', part)}"
                    f" AND k.role IN ('states', 'denies') AND {_COUNTED} GROUP BY k.claim_uid", part):
                first[claim_uid] = (tagged, article_id, True)
        return first

    def claim_spans(self, claim_uid: str, *, roles: Sequence[str] = (), offset: int = 0,
                    limit: int | None = None) -> list[ClaimSpan]:
        """A claim's spans with their articles: by published date (undated last), article, then position."""
        roles = [check_role(r) for r in roles]
        condition = "k.claim_uid = ?"
        params: list[Any] = [claim_uid]
        if roles:
            condition += f" AND {in_list('k.role', roles)}"
            params += roles
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        if limit is not None:
            params += [limit, offset]
        rows = self._conn.execute(
            f'SELECT {_LINK_COLUMNS}, n.article_id, n.start, n."end", l.name, n.text, n.annotator,'
            " a.title, a.source, a.url, a.published, n.status FROM links k JOIN annotations n ON n.uid = k.span_uid"
            " JOIN labels l ON l.id = n.label_id JOIN articles a ON a.id = n.article_id"
            f' WHERE {condition} ORDER BY a.published IS NULL, a.published, a.id, n.start, n."end", n.uid{page}',
            params).fetchall()
        return [ClaimSpan(Link(*r[:5]), r[0], *r[5:]) for r in rows]

    def links_of_span(self, span_uid: str) -> list[Link]:
        rows = self._conn.execute(f"SELECT {_LINK_COLUMNS} FROM links k WHERE k.span_uid = ? ORDER BY k.id",
                                  (span_uid,)).fetchall()
        return [Link(*r) for r in rows]

    def links_of_claim(self, claim_uid: str) -> list[Link]:
        rows = self._conn.execute(f"SELECT {_LINK_COLUMNS} FROM links k WHERE k.claim_uid = ? ORDER BY k.id",
                                  (claim_uid,)).fetchall()
        return [Link(*r) for r in rows]

    def link(self, span_uid: str, claim_uid: str) -> Link:
        row = self._conn.execute(f"SELECT {_LINK_COLUMNS} FROM links k WHERE k.span_uid = ? AND k.claim_uid = ?",
                                 (span_uid, claim_uid)).fetchone()
        if row is None:
            raise NotFoundError(f"span {span_uid} is not linked to claim {claim_uid}")
        return Link(*row)

    def links(self) -> list[Link]:
        """Every link, in the order they were made."""
        return [Link(*r) for r in self._conn.execute(f"SELECT {_LINK_COLUMNS} FROM links k ORDER BY k.id")]

    def link_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM links").fetchone()[0]

    def links_by_span(self) -> dict[str, list[Link]]:
        """Every link, by span, each span's in the order they were made (exports attach them to their spans)."""
        found: dict[str, list[Link]] = {}
        for row in self._conn.execute(f"SELECT {_LINK_COLUMNS} FROM links k ORDER BY k.id"):
            found.setdefault(row[0], []).append(Link(*row))
        return found

    def claim_dataset_rows(
        self, *, labels: Sequence[str] = (), annotators: Sequence[str] = (), statuses: Sequence[str] = (),
        article_ids: Sequence[int] = (), with_text: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """One row per (claim, span): the claim, its verdict, the article, the span and its role (stance).

        Streamed in claim order, then article, then position; the span filters
        are the export's.
        """
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        text = "a.text" if with_text else "NULL"
        sql = (
            "SELECT c.uid, c.summary, c.claimant, c.claim_date, r.name, r.value, c.explanation,"
            f" a.id, a.uid, a.title, a.source, a.url, a.published, {text},"
            ' n.uid, n.start, n."end", n.text, l.name, k.role, n.annotator, n.status, k.created_by'
            " FROM links k JOIN claims c ON c.uid = k.claim_uid LEFT JOIN ratings r ON r.id = c.rating_id"
            " JOIN annotations n ON n.uid = k.span_uid LEFT JOIN labels l ON l.id = n.label_id"
            " JOIN articles a ON a.id = n.article_id"
            + (" WHERE " + " AND ".join(conditions) if conditions else "")
            + ' ORDER BY c.id, a.id, n.start, n."end", n.uid'
        )
        keys = ("claim_uid", "claim", "claimant", "claim_date", "verdict", "verdict_value", "explanation",
                "article_id", "article_uid", "title", "source", "url", "published", "article_text",
                "span_uid", "start", "end", "span_text", "label", "role", "annotator", "status", "linked_by")
        for row in self._conn.cursor().execute(sql, params):
            values = dict(zip(keys, row, strict=True))
            # Never pass on what the app would refuse to store (an older database may hold it).
            values["claim_date"] = valid_date(values["claim_date"])
            values["published"], values["url"] = valid_date(values["published"]), valid_url(values["url"])
            yield values

    def claim_export_counts(
        self, *, labels: Sequence[str] = (), annotators: Sequence[str] = (), statuses: Sequence[str] = (),
        article_ids: Sequence[int] = (),
    ) -> tuple[int, int, int]:
        """What the claims exports with these span filters cover: (claims linked to a matching span, their
        links to matching spans, claims with a verdict that ClaimReview would consider).

        With no filter, ClaimReview considers every claim with a verdict, linked
        or not; with one, only the judged claims linked to a matching span.
        """
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        if not conditions:
            claims, links = self._conn.execute("SELECT count(DISTINCT claim_uid), count(*) FROM links").fetchone()
            judged = self._conn.execute("SELECT count(*) FROM claims WHERE rating_id IS NOT NULL").fetchone()[0]
            return claims, links, judged
        claims, links, judged = self._conn.execute(
            "SELECT count(DISTINCT k.claim_uid), count(*),"
            " count(DISTINCT CASE WHEN c.rating_id IS NOT NULL THEN k.claim_uid END)"
            " FROM links k JOIN annotations n ON n.uid = k.span_uid JOIN claims c ON c.uid = k.claim_uid"
            " WHERE " + " AND ".join(conditions), params).fetchone()
        return claims, links, judged

    def claims_linked_to(self, span_uids: Iterable[str]) -> set[str]:
        """The claims any of these spans is linked to."""
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(span_uids))):
            found |= {r[0] for r in self._conn.execute(
                f"SELECT DISTINCT claim_uid FROM links WHERE {in_list('span_uid', chunk)}", chunk)}
        return found

    def stating_articles(self, claim_uid: str, *, roles: Sequence[str] = ("states",)) -> list[Article]:
        """The articles holding a span linked to the claim in one of ``roles`` (stating it), oldest published first."""
        roles = [check_role(r) for r in roles]
        rows = self._conn.execute(
            f"SELECT DISTINCT {', '.join('a.' + c.strip() for c in ARTICLE_COLUMNS.split(','))}"
            " FROM links k JOIN annotations n ON n.uid = k.span_uid JOIN articles a ON a.id = n.article_id"
            f" WHERE k.claim_uid = ? AND {in_list('k.role', roles)} AND {_COUNTED}"
            " ORDER BY a.published IS NULL, a.published, a.id",
            (claim_uid, *roles)).fetchall()
        return [article_from(r, self.path) for r in rows]

    def claim_marks(self, article_id: int, lo: int = 0, hi: int | None = None) -> list[ClaimMark]:
        """The claim badges of an article's spans overlapping ``[lo, hi)``, in text order."""
        hi = self._conn.execute("SELECT length FROM articles WHERE id = ?", (article_id,)).fetchone()[0] \
            if hi is None else hi
        rows = self._conn.execute(
            "SELECT k.span_uid, k.claim_uid, k.role, c.id, c.summary FROM annotations n"
            " JOIN links k ON k.span_uid = n.uid JOIN claims c ON c.uid = k.claim_uid"
            ' WHERE n.article_id = ? AND n.start < ? AND n."end" > ? ORDER BY n.start, n."end", n.uid, c.id',
            (article_id, hi, lo)).fetchall()
        return [ClaimMark(*r) for r in rows]

    def article_has_links(self, article_id: int) -> bool:
        """Whether any span of the article is linked to a claim (a pane shows its badge margin only then)."""
        return self._conn.execute(
            "SELECT 1 FROM annotations n JOIN links k ON k.span_uid = n.uid WHERE n.article_id = ? LIMIT 1",
            (article_id,)).fetchone() is not None

    def claim_matrix(self, claim_uids: Sequence[str],
                     article_ids: Sequence[int]) -> dict[str, dict[int, tuple[str, ...]]]:
        """For each claim, the roles its spans take in each article (cells with no link are absent).

        Roles in a cell come in ``ROLES`` order: an article may state a claim and deny it.
        """
        found: dict[str, dict[int, set[str]]] = {uid: {} for uid in claim_uids}
        articles = [int(a) for a in article_ids]
        if not claim_uids or not articles:
            return {uid: {} for uid in claim_uids}
        for chunk in _chunks(list(claim_uids), 400):
            for claim_uid, article_id, role in self._conn.execute(
                    "SELECT DISTINCT k.claim_uid, k.article_id, k.role FROM links k"
                    f" WHERE {in_list('k.claim_uid', chunk)} AND {in_list('k.article_id', articles)} AND {_COUNTED}",
                    [*chunk, *articles]):
                found[claim_uid].setdefault(article_id, set()).add(role)
        order = {role: i for i, role in enumerate(ROLES)}
        return {uid: {aid: tuple(sorted(roles, key=order.__getitem__)) for aid, roles in cells.items()}
                for uid, cells in found.items()}

    def matrix_articles(self, claim_uids: Sequence[str], *, offset: int = 0, limit: int | None = None) -> list[Article]:
        """The articles holding a span linked to one of the claims: the matrix's columns, oldest first."""
        if not claim_uids:
            return []
        ids: set[int] = set()
        for chunk in _chunks(list(claim_uids), 400):
            ids |= {r[0] for r in self._conn.execute(
                f"SELECT DISTINCT k.article_id FROM links k WHERE {in_list('k.claim_uid', chunk)} AND {_COUNTED}",
                chunk)}
        if not ids:
            return []
        ordered = sorted(ids)
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        rows = self._conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {in_list('id', ordered)}"
            f" ORDER BY published IS NULL, published, id{page}",
            [*ordered, *((limit, offset) if limit is not None else ())]).fetchall()
        return [article_from(r, self.path) for r in rows]

    def rejections(self, claim_uid: str | None = None) -> list[Rejection]:
        sql = f"SELECT {_REJECTION_COLUMNS} FROM claim_rejections"
        params: tuple[Any, ...] = ()
        if claim_uid is not None:
            sql += " WHERE claim_uid = ?"
            params = (claim_uid,)
        return [_rejection(r) for r in self._conn.execute(sql + " ORDER BY id", params)]

    def linked_ranges(self, claim_uid: str) -> list[tuple[int, int, int]]:
        """(article id, start, end) of every span linked to the claim."""
        return [tuple(r) for r in self._conn.execute(  # type: ignore[misc]
            'SELECT n.article_id, n.start, n."end" FROM links k JOIN annotations n ON n.uid = k.span_uid'
            " WHERE k.claim_uid = ?", (claim_uid,))]

    # ------------------------------------------------------- rows, no events
    # Merge and import write through these, recording their own events.

    def insert_claim_rows(self, claims: Sequence[Claim], *, overwrite: bool = False) -> None:
        rating_ids = {r.name.casefold(): r.id for r in self.ratings()}
        rows = []
        for c in claims:
            if c.verdict is not None and c.verdict.casefold() not in rating_ids:
                raise ClaimError(f"unknown rating {c.verdict!r} (ratings: {', '.join(r.name for r in self.ratings())})")
            rows.append((c.uid, c.summary, c.claimant, c.claim_date,
                         rating_ids[c.verdict.casefold()] if c.verdict is not None else None, c.explanation,
                         c.review_url, c.reviewed_by, c.reviewed_at, c.created_by, c.created_at,
                         c.updated_at or c.created_at))
        self._conn.executemany(
            "INSERT INTO claims (uid, summary, claimant, claim_date, rating_id, explanation, review_url,"
            " reviewed_by, reviewed_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + (" ON CONFLICT (uid) DO UPDATE SET summary = excluded.summary, claimant = excluded.claimant,"
               " claim_date = excluded.claim_date, rating_id = excluded.rating_id,"
               " explanation = excluded.explanation, review_url = excluded.review_url,"
               " reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at,"
               " created_by = excluded.created_by, created_at = excluded.created_at,"
               " updated_at = excluded.updated_at" if overwrite else ""),
            rows)

    def erase_claim_row(self, uid: str) -> None:
        self._conn.execute("DELETE FROM claims WHERE uid = ?", (uid,))

    def insert_link_rows(self, links: Sequence[Link], *, overwrite: bool = False) -> None:
        self._conn.executemany(
            "INSERT INTO links (uid, span_uid, claim_uid, role, created_by, created_at, article_id)"
            " VALUES (?, ?, ?, ?, ?, ?, (SELECT article_id FROM annotations WHERE uid = ?))"
            + (" ON CONFLICT (uid) DO UPDATE SET role = excluded.role, created_by = excluded.created_by,"
               " created_at = excluded.created_at, article_id = excluded.article_id" if overwrite else ""),
            [(k.uid, k.span_uid, k.claim_uid, k.role, k.created_by, k.created_at, k.span_uid) for k in links])

    def erase_link_row(self, span_uid: str, claim_uid: str) -> None:
        self._conn.execute("DELETE FROM links WHERE span_uid = ? AND claim_uid = ?", (span_uid, claim_uid))

    def insert_rejection_rows(self, rejections: Sequence[Rejection]) -> None:
        self._conn.executemany(
            f"INSERT INTO claim_rejections ({_REJECTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.uid, r.claim_uid, r.article_id, r.start, r.end, r.text, r.created_by, r.created_at)
             for r in rejections])

    def erase_rejection_row(self, uid: str) -> None:
        self._conn.execute("DELETE FROM claim_rejections WHERE uid = ?", (uid,))

    # ---------------------------------------------------------------- operations

    def add_claims_and_links(self, claims: Sequence[Claim], links: Sequence[Link], *, actor: str) -> ClaimChange:
        """Bulk add (import): the claims and links as given, times and authors included, one event each."""
        return self._write(ClaimChange(claims_added=tuple(claims), links_added=tuple(links)), actor)

    def create_claim(self, summary: str, *, actor: str, claimant: str = "", claim_date: str | None = None,
                     review_url: str | None = None, uid: str | None = None) -> ClaimChange:
        """A new claim with no spans yet."""
        claim = self._new_claim(summary, actor=actor, claimant=claimant, claim_date=claim_date,
                                review_url=review_url, uid=uid)
        return self._write(ClaimChange(claims_added=(claim,), claim_uid=claim.uid), actor)

    def create_claim_from_span(self, span_uid: str, *, actor: str, role: str | None = None,
                               uid: str | None = None) -> ClaimChange:
        """A new claim from a span: its text as the summary, its article's source as the claimant, and the link."""
        span = self.annotation(span_uid)
        claim = self._claim_from(span, actor=actor, uid=uid)
        link = Link(span.uid, claim.uid, check_role(role) if role else default_role(span.label), actor, now_iso())
        return self._write(ClaimChange(claims_added=(claim,), links_added=(link,), claim_uid=claim.uid), actor)

    def link_spans(self, span_uids: Sequence[str], *, actor: str, claim_uid: str | None = None,
                   role: str | None = None, new_claim_uid: str | None = None) -> ClaimChange:
        """Link spans to one claim (the "press L" operation), in one transaction.

        With ``claim_uid`` every span joins that claim. Without it, the spans
        join the first span's claim; if the first span has none, a claim is made
        from it (``new_claim_uid`` gives it a uid) and every span joins it. A span
        already linked to the claim is left as it is (listed in ``skipped``).
        ``role`` applies to every new link; by default each span's label decides.
        """
        uids = list(dict.fromkeys(u.strip() for u in span_uids))
        if not uids:
            raise ClaimError("name at least one span to link")
        spans = [self.annotation(u) for u in uids]
        fixed_role = check_role(role) if role else None
        added_claims: tuple[Claim, ...] = ()
        if claim_uid is not None:
            target = self.claim(claim_uid).uid
        else:
            theirs = self.links_of_span(spans[0].uid)
            if len(theirs) > 1:
                listed = ", ".join(k.claim_uid for k in theirs)
                raise ClaimError(f"the first span is linked to {len(theirs)} claims ({listed}); name the claim"
                                 " to link to")
            if theirs:
                target = theirs[0].claim_uid
            else:
                claim = self._claim_from(spans[0], actor=actor, uid=new_claim_uid)
                added_claims = (claim,)
                target = claim.uid
        at = now_iso()
        linked = {k.span_uid for k in self.links_of_claim(target)}
        links = tuple(Link(s.uid, target, fixed_role or default_role(s.label), actor, at)
                      for s in spans if s.uid not in linked)
        skipped = tuple(s.uid for s in spans if s.uid in linked)
        return self._write(ClaimChange(claims_added=added_claims, links_added=links, claim_uid=target,
                                       skipped=skipped), actor)

    def unlink(self, span_uid: str, claim_uid: str, *, actor: str) -> ClaimChange:
        """Take a span out of a claim. The claim stays, even with no span left: its verdict is work too."""
        link = self.link(span_uid, claim_uid)
        return self._write(ClaimChange(links_removed=(link,), claim_uid=claim_uid), actor)

    def set_role(self, span_uid: str, claim_uid: str, role: str, *, actor: str) -> ClaimChange:
        before = self.link(span_uid, claim_uid)
        after = replace(before, role=check_role(role))
        if after == before:
            return ClaimChange(claim_uid=claim_uid)
        return self._write(ClaimChange(links_edited=((before, after),), claim_uid=claim_uid), actor, edit="role")

    def edit_claim(self, uid: str, *, actor: str, **changes: str | None) -> ClaimChange:
        """Change a claim's summary, claimant, date or fact-check address (``CLAIM_FIELDS``)."""
        unknown = set(changes) - set(CLAIM_FIELDS)
        if unknown:
            raise ClaimError(f"a claim's {', '.join(sorted(unknown))} cannot be edited this way"
                             f" (fields: {', '.join(CLAIM_FIELDS)}; the verdict has its own operation)")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "summary":
                values[name] = check_summary(value or "")
            elif name == "claimant":
                values[name] = " ".join((value or "").split())
            elif name == "claim_date":
                values[name] = check_date(value, "the claim date")
            else:
                values[name] = check_url(value, "the fact-check url")
        before = self.claim(uid)
        after = replace(before, **values)
        if after == before:
            return ClaimChange(claim_uid=uid)
        return self._write(ClaimChange(claims_edited=((before, after),), claim_uid=uid), actor)

    def set_verdict(self, uid: str, verdict: str | None, explanation: str | None = None, *,
                    actor: str) -> ClaimChange:
        """The fact-checker's verdict: a rating of the scale (None: none yet) and, if given, the explanation."""
        before = self.claim(uid)
        name = self.rating(verdict).name if verdict is not None and verdict.strip() else None
        after = replace(before, verdict=name,
                        explanation=before.explanation if explanation is None else explanation.strip())
        if after == before:
            return ClaimChange(claim_uid=uid)
        reviewed = name is not None
        after = replace(after, reviewed_by=actor if reviewed else None, reviewed_at=now_iso() if reviewed else None)
        return self._write(ClaimChange(claims_edited=((before, after),), claim_uid=uid), actor, edit="verdict")

    def merge_claims(self, keep_uid: str, absorb_uid: str, *, actor: str) -> ClaimChange:
        """Two claims that are one: ``absorb``'s links (and rejected suggestions) move to ``keep``, then it goes.

        A span linked to both keeps its link to ``keep``; the duplicate is
        dropped. ``keep``'s fields win; those it leaves empty (claimant, date,
        verdict, fact-check url) are taken from ``absorb``.
        """
        if keep_uid == absorb_uid:
            raise ClaimError("a claim cannot be merged with itself")
        keep, absorb = self.claim(keep_uid), self.claim(absorb_uid)
        kept_spans = {k.span_uid for k in self.links_of_claim(keep.uid)}
        moving = self.links_of_claim(absorb.uid)
        added = tuple(replace(k, claim_uid=keep.uid) for k in moving if k.span_uid not in kept_spans)
        kept_rejections = {(r.article_id, r.start, r.end) for r in self.rejections(keep.uid)}
        old_rejections = self.rejections(absorb.uid)
        new_rejections = tuple(replace(r, uid=new_uid(), claim_uid=keep.uid) for r in old_rejections
                               if (r.article_id, r.start, r.end) not in kept_rejections)
        filled = keep
        if not keep.claimant and absorb.claimant:
            filled = replace(filled, claimant=absorb.claimant)
        if keep.claim_date is None and absorb.claim_date is not None:
            filled = replace(filled, claim_date=absorb.claim_date)
        if keep.review_url is None and absorb.review_url is not None:
            filled = replace(filled, review_url=absorb.review_url)
        if keep.verdict is None and absorb.verdict is not None:
            filled = replace(filled, verdict=absorb.verdict, explanation=absorb.explanation,
                             reviewed_by=absorb.reviewed_by, reviewed_at=absorb.reviewed_at)
        return self._write(ClaimChange(
            claims_removed=(absorb,), claims_edited=((keep, filled),) if filled != keep else (),
            links_removed=tuple(moving), links_added=added,
            rejections_removed=tuple(old_rejections), rejections_added=new_rejections, claim_uid=keep.uid,
        ), actor)

    def split_span(self, span_uid: str, claim_uid: str, *, actor: str, summary: str | None = None,
                   new_claim_uid: str | None = None) -> ClaimChange:
        """Take a span out of a claim into a claim of its own, in the same role (the result's ``claim_uid``)."""
        old = self.link(span_uid, claim_uid)
        span = self.annotation(span_uid)
        claim = self._claim_from(span, actor=actor, uid=new_claim_uid)
        if summary is not None:
            claim = replace(claim, summary=check_summary(summary))
        link = Link(span_uid, claim.uid, old.role, actor, now_iso())
        return self._write(ClaimChange(claims_added=(claim,), links_removed=(old,), links_added=(link,),
                                       claim_uid=claim.uid), actor)

    def delete_claim(self, uid: str, *, actor: str) -> ClaimChange:
        """Delete a claim with its links and rejected suggestions (the spans stay)."""
        claim = self.claim(uid)
        return self._write(ClaimChange(claims_removed=(claim,), links_removed=tuple(self.links_of_claim(uid)),
                                       rejections_removed=tuple(self.rejections(uid)), claim_uid=uid), actor)

    def reject_suggestion(self, claim_uid: str, article_id: int, start: int, end: int, *,
                          actor: str) -> ClaimChange:
        """Remember that this stretch of text is not about the claim: it is not suggested for it again."""
        self.claim(claim_uid)
        text = self.article_text(article_id)
        check_span(text, start, end)
        exists = self._conn.execute(
            'SELECT 1 FROM claim_rejections WHERE claim_uid = ? AND article_id = ? AND start = ? AND "end" = ?',
            (claim_uid, article_id, start, end)).fetchone()
        if exists:
            raise ClaimError("this suggestion was already rejected for this claim")
        rejection = Rejection(new_uid(), claim_uid, article_id, start, end, text[start:end], actor, now_iso())
        return self._write(ClaimChange(rejections_added=(rejection,), claim_uid=claim_uid), actor)

    def accept_suggestion(self, claim_uid: str, article_id: int, start: int, end: int, *, annotator: str,
                          role: str = "states", label: str | None = None,
                          actor: str | None = None) -> AcceptedSuggestion:
        """Tag ``[start, end)`` and link it to the claim, in one transaction.

        The label defaults to the role's (states: claim, denies: denial,
        context: background, supports: claim). If the annotator already tagged
        exactly these characters with that label, that span is linked instead.
        Undo: ``remove_span`` of a created span, else the change's inverse.
        """
        role = check_role(role)
        label = self.label(label or LABEL_OF_ROLE[role]).name
        actor = actor or annotator
        self.claim(claim_uid)
        with self.transaction():
            existing = self.identical_span(article_id, start, end, label, annotator)
            if existing is not None:
                annotation = self.annotation(existing)
                change = self.link_spans([existing], actor=actor, claim_uid=claim_uid, role=role)
                return AcceptedSuggestion(annotation, change, False)
            annotation = self.add_annotation(article_id, start, end, label, annotator=annotator, actor=actor)
            change = self.link_spans([annotation.uid], actor=actor, claim_uid=claim_uid, role=role)
        return AcceptedSuggestion(annotation, change, True)

    def apply_claim_change(self, change: ClaimChange, *, actor: str, action: str = "undo") -> ClaimChange:
        """Do a change again, or (given ``change.inverse()``) undo it: one transaction, events as ``restore``,
        ``delete`` and ``action`` for edits."""
        return self._write(change, actor, create="restore", edit=action, stamp=False)

    # ---------------------------------------------------------------- spans

    def remove_span(self, uid: str, *, actor: str) -> RemovedSpan:
        """Delete a span and its links in one transaction; what comes back restores both."""
        with self.transaction():
            links = tuple(self.links_of_span(uid))
            if links:
                self._write(ClaimChange(links_removed=links), actor)
            annotation = super().delete_annotation(uid, actor=actor)
        return RemovedSpan(annotation, links)

    def relabel(self, uid: str, label: str, *, actor: str) -> Annotation:
        """Change a span's label; each link whose role was the old label's default takes the new one's.

        One transaction: the annotation's event, then one link event (``relabel``) per role changed.
        A role that is not the old label's default was chosen by someone, and stays.
        """
        with self.transaction():
            before = self.annotation(uid)
            after = super().relabel(uid, label, actor=actor)
            self._roles_follow(before, after, actor)
        return after

    def restore_fields(self, state: Annotation, fields: Sequence[str], *, action: str, actor: str) -> Annotation:
        """Put back fields of an annotation (an undo or redo); with the label, the roles that went with it.

        Restoring the label the last label change replaced (an undo of it) puts
        back exactly the roles that change moved, read from the log; restoring
        any other label moves default roles as ``relabel`` does.
        """
        if "label" not in fields:
            return super().restore_fields(state, fields, action=action, actor=actor)
        with self.transaction():
            before = self.annotation(state.uid)
            changed_by = self._last_label_change(state.uid)
            after = super().restore_fields(state, fields, action=action, actor=actor)
            if label_key(after.label) == label_key(before.label):
                return after
            if changed_by is not None and label_key(str(changed_by[0].before.get("label"))) == label_key(after.label):
                edits = [(link, event.before["role"]) for link, event in changed_by[1]
                         if link.role == event.after["role"]]
                self._set_roles(edits, after, actor)
            else:
                self._roles_follow(before, after, actor)
        return after

    def _roles_follow(self, before: Annotation, after: Annotation, actor: str) -> None:
        """Move the span's links whose role is ``before``'s label's default to ``after``'s label's default."""
        old, new = default_role(before.label), default_role(after.label)
        if old == new:
            return
        self._set_roles([(link, new) for link in self.links_of_span(after.uid) if link.role == old], after, actor)

    def _set_roles(self, edits: Sequence[tuple[Link, str]], span: Annotation, actor: str) -> None:
        """Write new roles for links of ``span``: one ``relabel`` event each, at the relabel's own time."""
        events = []
        for link, role in edits:
            if role == link.role:
                continue
            self._conn.execute("UPDATE links SET role = ? WHERE span_uid = ? AND claim_uid = ?",
                               (role, link.span_uid, link.claim_uid))
            events.append(NewEvent("relabel", "link", link.uid, {"role": link.role}, {"role": role}, actor,
                                   at=span.updated_at))
        self.append_events(events)

    def _last_label_change(self, uid: str) -> tuple[Event, list[tuple[Link, Event]]] | None:
        """The span's last event that changed its label, and the link events its transaction wrote (role moves).

        Those follow it in the log under the same time and the action ``relabel``.
        """
        events = self.events_for(uid)
        last = next((e for e in reversed(events) if e.entity == "annotation" and e.before and e.after
                     and "label" in e.after), None)
        if last is None:
            return None
        moved = []
        for link in self.links_of_span(uid):
            found = next((e for e in self.events_for(link.uid) if e.entity == "link" and e.action == "relabel"
                          and e.at == last.at and e.id > last.id and e.after and "role" in e.after), None)
            if found is not None:
                moved.append((link, found))
        return last, moved

    def delete_annotation(self, uid: str, *, actor: str) -> Annotation:
        """Delete a span (and its links: ``remove_span`` returns them for an undo)."""
        return self.remove_span(uid, actor=actor).annotation

    def restore_annotation(self, annotation: Annotation, *, actor: str, links: Sequence[Link] = ()) -> Annotation:
        """Bring back a deleted span with its uid and times, and the links it had (undo of ``remove_span``)."""
        with self.transaction():
            restored = super().restore_annotation(annotation, actor=actor)
            if links:
                self._write(ClaimChange(links_added=tuple(links)), actor, create="restore", stamp=False)
        return restored

    # ---------------------------------------------------------------- plumbing

    def _new_claim(self, summary: str, *, actor: str, claimant: str = "", claim_date: str | None = None,
                   review_url: str | None = None, uid: str | None = None) -> Claim:
        if not actor.strip():
            raise ClaimError("a claim needs the name of who makes it")
        at = now_iso()
        return Claim(uid=uid or new_uid(), summary=check_summary(summary), claimant=" ".join(claimant.split()),
                     claim_date=check_date(claim_date, "the claim date"),
                     review_url=check_url(review_url, "the fact-check url"), created_by=actor, created_at=at,
                     updated_at=at)

    def _claim_from(self, span: Annotation, *, actor: str, uid: str | None) -> Claim:
        source = self._conn.execute("SELECT source FROM articles WHERE id = ?", (span.article_id,)).fetchone()[0]
        return self._new_claim(summary_from_text(span.text), actor=actor, claimant=source or "", uid=uid)

    def _write(self, change: ClaimChange, actor: str, *, create: str = "create", edit: str = "edit",
               stamp: bool = True) -> ClaimChange:
        """Write a change's rows and one event per row, in one transaction.

        Removals go first (links before the claims they name), then additions
        (claims before their links). With ``stamp``, edited claims get the
        current time as ``updated_at``; undo and redo put back the times they carry.
        """
        if change.empty:
            return change
        events: list[NewEvent] = []
        at = now_iso()
        with self.transaction():
            for link in change.links_removed:
                self.link(link.span_uid, link.claim_uid)
                self.erase_link_row(link.span_uid, link.claim_uid)
                events.append(NewEvent("delete", "link", link.uid, link.as_values(), None, actor, at=at))
            for rejection in change.rejections_removed:
                self.erase_rejection_row(rejection.uid)
                events.append(NewEvent("delete", "rejection", rejection.uid, rejection.as_values(), None, actor,
                                       at=at))
            for claim in change.claims_removed:
                current = self.claim(claim.uid)
                for table, what in (("links", "link"), ("claim_rejections", "rejected suggestion")):
                    left = self._conn.execute(f"SELECT count(*) FROM {table} WHERE claim_uid = ?",
                                              (claim.uid,)).fetchone()[0]
                    if left:
                        raise ClaimError(f"claim {claim.uid} still has {count(left, what)}; delete the claim to take"
                                         " them with it")
                self.erase_claim_row(claim.uid)
                events.append(NewEvent("delete", "claim", claim.uid, current.as_values(), None, actor, at=at))
            numbered: list[Claim] = []
            for claim in change.claims_added:
                if self.has_claim(claim.uid):
                    raise ClaimError(f"a claim with uid {claim.uid} exists already")
                numbered.append(self._insert_numbered(claim, keep_number=create != "create"))
                events.append(NewEvent(create, "claim", claim.uid, None, claim.as_values(), actor,
                                       at=claim.created_at if create == "create" else at))
            for _before, after in change.claims_edited:
                current = self.claim(after.uid)
                if stamp:
                    after = replace(after, updated_at=at)
                self.insert_claim_rows([replace(after, created_by=current.created_by, created_at=current.created_at)],
                                       overwrite=True)
                old, new = current.as_values(), after.as_values()
                changed = [k for k in new if old[k] != new[k]]
                if changed:
                    events.append(NewEvent(edit, "claim", after.uid, {k: old[k] for k in changed},
                                           {k: new[k] for k in changed}, actor, at=at))
            for _before, after in change.links_edited:
                current = self.link(after.span_uid, after.claim_uid)
                if current.role != after.role:
                    self._conn.execute("UPDATE links SET role = ? WHERE span_uid = ? AND claim_uid = ?",
                                       (after.role, after.span_uid, after.claim_uid))
                    events.append(NewEvent(edit, "link", after.uid, {"role": current.role}, {"role": after.role},
                                           actor, at=at))
            for link in change.links_added:
                if not self.has_annotation(link.span_uid):
                    raise NotFoundError(f"no annotation with uid {link.span_uid}")
                if not self.has_claim(link.claim_uid):
                    raise NotFoundError(f"no claim with uid {link.claim_uid}")
                if self._conn.execute("SELECT 1 FROM links WHERE span_uid = ? AND claim_uid = ?",
                                      (link.span_uid, link.claim_uid)).fetchone():
                    raise ClaimError(f"span {link.span_uid} is already linked to claim {link.claim_uid}")
                self.insert_link_rows([link])
                events.append(NewEvent(create, "link", link.uid, None, link.as_values(), actor,
                                       at=link.created_at if create == "create" else at))
            for rejection in change.rejections_added:
                self.insert_rejection_rows([rejection])
                events.append(NewEvent(create, "rejection", rejection.uid, None, rejection.as_values(), actor,
                                       at=rejection.created_at if create == "create" else at))
            self.append_events(events)
        # The claims added carry the numbers they got: an undo and redo of this change restore them.
        return replace(change, claims_added=tuple(numbered)) if numbered else change

    def _insert_numbered(self, claim: Claim, *, keep_number: bool) -> Claim:
        """Insert a claim; ``keep_number``: under its number (row id) if it has one that is free.

        The number is what the badges, the dock and the claim's colour show, so
        a claim an undo brings back (a merge or a delete undone, a creation
        redone) must come back under the number it had, not the next one.
        """
        self.insert_claim_rows([claim])
        if keep_number and claim.id is not None and not self._conn.execute(
                "SELECT 1 FROM claims WHERE id = ?", (claim.id,)).fetchone():
            self._conn.execute("UPDATE claims SET id = ? WHERE uid = ?", (claim.id, claim.uid))
            return claim
        number = self._conn.execute("SELECT id FROM claims WHERE uid = ?", (claim.uid,)).fetchone()[0]
        return replace(claim, id=number)


def _claim_row(claim: Claim, stats: _Stats | None) -> ClaimRow:
    if stats is None:
        return ClaimRow(claim)
    counts, spans, first, article_id, tagged, rejected = stats
    return ClaimRow(claim, counts, spans, first, article_id, tagged, rejected)


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


__all__ = ["SETTINGS", "AcceptedSuggestion", "ClaimMark", "Claims"]
