"""Same-claim suggestions: which sentences of the database state or deny a given claim.

The ranking is lexical: TF-IDF cosine similarity (scikit-learn) between the
claim (its summary and the text of every span linked to it) and each sentence
of every article. No model, no network: the same database gives the same
ranking on any machine. It finds reports and denials that reuse the claim's
words ("return", "S-400", "Bloomberg", "Erdogan"); a paraphrase with none of
them is out of its reach.

Sentences (``sentences``) follow one rule, stated in docs/claims.md: a line
break always ends one; inside a line, a sentence ends after ``.``, ``!``, ``?``
or ``…`` (and any closing quotes or brackets) followed by whitespace and then an
upper-case letter, a digit or an opening quote or bracket, unless the word
before the full stop is an abbreviation (a single letter, a word with a full
stop inside it such as "U.S", or one of ``ABBREVIATIONS``). Leading and
trailing whitespace is not part of a sentence; a stretch with no letter or
digit is not one.

Left out of the candidates: sentences overlapping a span already linked to
the claim, and sentences rejected for it (``Store.reject_suggestion``, exact
offsets). Other sentences of an article that already states the claim stay in:
an article often repeats a claim (in its title and its body).

The index holds every sentence's term counts (hashed, so no vocabulary to fit:
new articles are added without redoing the old ones) and is refreshed with the
articles imported since it was built (an article's text never changes, and
new ids only grow). A deleted article's sentences stay in the index and are
left out of the results while it is gone (undo brings it back under its id).
Building it is the slow part (docs/benchmarks.md); a query is a sparse
matrix-vector product.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .claims import ClaimError

if TYPE_CHECKING:
    from .store import Store

ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "capt", "sgt", "sen", "rep", "gov", "pres", "st", "mt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co",
    "corp", "no", "vs", "approx", "dept", "est", "fig", "jr", "sr",
})
_END = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s+[\"'“‘(\[«\d\w])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_HAS_WORD = re.compile(r"\w")

# Words that make a sentence read as a denial: the role an accepted suggestion
# is offered with. A hint for the person, nothing more.
_DENIAL_CUES = re.compile(
    r"\b(den(y|ies|ied|ial|ials)|reject(s|ed)?|refut(e|es|ed)|dismiss(es|ed)?|false|fake|untrue|not on the"
    r" agenda|no such|never|baseless|groundless)\b", re.IGNORECASE)

# 2**20 hashed features: collisions between two content words are rare enough
# not to show in a ranking, and the matrix stays sparse either way.
_FEATURES = 1 << 20


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as [start, end) code point offsets (the rule in this module's docstring)."""
    found: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        begin = 0
        for match in _END.finditer(line):
            if match.group(0)[0] == "." and _abbreviation(line[begin:match.start()]):
                continue
            _add(found, text, line_start + begin, line_start + match.end())
            begin = match.end()
        _add(found, text, line_start + begin, line_end)
        line_start = line_end + 1
    return found


def _abbreviation(before: str) -> bool:
    word = _WORD_BEFORE.search(before)
    if word is None:
        return False
    token = word.group(1).lstrip("\"'“‘([«")
    return len(token) == 1 and token.isalpha() or "." in token or token.casefold() in ABBREVIATIONS


def _add(found: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and _HAS_WORD.search(text, start, end):
        found.append((start, end))


def role_hint(sentence: str) -> str:
    """``denies`` for a sentence with a denial word in it, else ``states``."""
    return "denies" if _DENIAL_CUES.search(sentence) else "states"


@dataclass(frozen=True)
class SameClaimSuggestion:
    """A sentence that may state or deny the claim, with its score (cosine similarity, 0 to 1)."""

    article_id: int
    start: int
    end: int
    text: str
    score: float
    title: str
    source: str | None
    role: str
    """``denies`` if the sentence reads as a denial, else ``states``: the role to offer on accepting it."""


_TOKEN = re.compile(r"\w[\w-]*\w|\d")
# Longest first: the first suffix that leaves at least three letters is cut.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


def _stem(word: str) -> str:
    """A deliberately light English stemmer: "returning", "returned", "returns" all give "return".

    Enough to let a report and its denial meet ("denied" / "denies"); a full
    stemmer would bring another dependency for little more.
    """
    if word[-1] == "s" and len(word) > 2 and word[-2].isdigit():
        return word[:-1]   # "s-400s" is "s-400"
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix in ("ies", "ied") else stem
    return word


def _analyzer() -> Any:
    from functools import lru_cache

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, strip_accents_unicode

    stop = frozenset(ENGLISH_STOP_WORDS)
    stem = lru_cache(maxsize=1 << 16)(_stem)

    def analyse(sentence: str) -> list[str]:
        # Accents stripped so that "Erdoğan" meets "Erdogan"; tokens keep inner
        # hyphens ("s-400", "f-35"), which carry these stories.
        folded = strip_accents_unicode(sentence.lower())
        return [stem(t) for t in _TOKEN.findall(folded) if t not in stop]

    return analyse


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=_FEATURES, alternate_sign=False, norm=None, analyzer=_analyzer(),
                             dtype="float32")


@dataclass
class SentenceIndex:
    """Every sentence of every article, as hashed term counts, and where each one is."""

    last_article_id: int = 0
    article_ids: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    rows_of: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Article id -> its rows [first, last)."""
    _counts: Any = None
    _weighted: Any = None
    _transformer: Any = None
    _vectorizer: Any = None

    def __len__(self) -> int:
        return len(self.article_ids)

    def refresh(self, store: Store) -> int:
        """Add the articles imported since the last refresh; returns how many sentences were added."""
        from scipy import sparse

        if self._vectorizer is None:
            self._vectorizer = _vectorizer()
        texts: list[str] = []
        last = self.last_article_id
        for article_id, text in store.article_texts_after(self.last_article_id):
            first = len(self.article_ids)
            for start, end in sentences(text):
                texts.append(text[start:end])
                self.article_ids.append(article_id)
                self.starts.append(start)
                self.ends.append(end)
            self.rows_of[article_id] = (first, len(self.article_ids))
            last = article_id
        self.last_article_id = last
        if not texts:
            return 0
        counts = self._vectorizer.transform(texts)
        self._counts = counts if self._counts is None else sparse.vstack([self._counts, counts], format="csr")
        self._weighted = None
        return len(texts)

    def _weights(self) -> Any:
        if self._weighted is None:
            from sklearn.feature_extraction.text import TfidfTransformer

            self._transformer = TfidfTransformer(sublinear_tf=True).fit(self._counts)
            self._weighted = self._transformer.transform(self._counts).astype("float32")
        return self._weighted

    def scores(self, query: str) -> Any:
        """Cosine similarity of ``query`` with every sentence (a numpy array, one value per row)."""
        import numpy as np

        if self._counts is None:
            return np.zeros(0, dtype="float32")
        weighted = self._weights()
        q = self._transformer.transform(self._vectorizer.transform([query])).astype("float32")
        return np.asarray((weighted @ q.T).todense()).ravel()


_INDEXES: weakref.WeakKeyDictionary[Store, SentenceIndex] = weakref.WeakKeyDictionary()


def index_for(store: Store) -> SentenceIndex:
    """The store's sentence index, built on first use and brought up to date on each call."""
    index = _INDEXES.get(store)
    if index is None:
        index = _INDEXES[store] = SentenceIndex()
    index.refresh(store)
    return index


def claim_query(store: Store, claim_uid: str) -> str:
    """What the claim is compared with: its summary and the text of every span linked to it."""
    claim = store.claim(claim_uid)
    return "\n".join([claim.summary, *(s.text for s in store.claim_spans(claim_uid))])


def suggest_same_claim(store: Store, claim_uid: str, *, limit: int = 10,
                       index: SentenceIndex | None = None) -> list[SameClaimSuggestion]:
    """The ``limit`` sentences most like the claim, best first (only those sharing a word with it)."""
    import numpy as np

    if limit < 1:
        raise ClaimError("ask for at least one suggestion")
    query = claim_query(store, claim_uid)
    index = index if index is not None else index_for(store)
    scores = index.scores(query)
    if not len(scores):
        return []
    # Linked spans and rejections are few: mark their articles' overlapping rows out.
    rejected = {(r.article_id, r.start, r.end) for r in store.rejections(claim_uid)}
    linked: dict[int, list[tuple[int, int]]] = {}
    for article_id, start, end in store.linked_ranges(claim_uid):
        linked.setdefault(article_id, []).append((start, end))
    for article_id in {a for a, _s, _e in rejected} | set(linked):
        first, last = index.rows_of.get(article_id, (0, 0))
        for row in range(first, last):
            start, end = index.starts[row], index.ends[row]
            overlaps = any(s < end and start < e for s, e in linked.get(article_id, ()))
            if overlaps or (article_id, start, end) in rejected:
                scores[row] = 0.0
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit - 1)[:limit]]
    # Ties (the same sentence in two articles) in article and text order.
    ranked = sorted(candidates.tolist(), key=lambda r: (-float(scores[r]), index.article_ids[r], index.starts[r]))
    articles = {a.id: a for a in store.articles_by_id({index.article_ids[r] for r in ranked})}
    found = []
    for row in ranked:
        article_id, start, end = index.article_ids[row], index.starts[row], index.ends[row]
        article = articles.get(article_id)
        if article is None:   # deleted since the index read it
            continue
        text = store.article_text(article_id)[start:end]
        found.append(SameClaimSuggestion(article_id, start, end, text, round(float(scores[row]), 4), article.title,
                                         article.source, role_hint(text)))
    return found


__all__ = [
    "ABBREVIATIONS", "SameClaimSuggestion", "SentenceIndex", "claim_query", "index_for", "role_hint", "sentences",
    "suggest_same_claim",
]
