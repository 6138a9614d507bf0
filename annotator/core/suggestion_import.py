"""``annotator import --as-suggestions``: a team's own model output, as suggestions to review.

Every format the import reads works: each span becomes a suggestion of source
``import:<file name>`` (Label Studio's ``predictions`` are read too), with the
score the format carries (a Label Studio region's or prediction's ``score``,
doccano's fourth triple element or ``score`` key, the native JSONL's span
``score``), or none. A score outside 0..1 is refused, span by span.

Articles not in the database yet are imported as articles: the text is the
same data whoever supplies it, and the predictions need somewhere to stand.
Their spans become suggestions, never annotations; annotators, review status,
notes, uids and claim links in the file are not kept (a suggestion is nobody's
span until someone accepts it). A suggestion made from this source kind before
(open, accepted or rejected) is not made again, nor one where a span of its
label is already tagged, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import AnnotatorError
from .formats.base import Format, Problem, ReadOptions, SpanIn
from .importer import Importer, ImportReport
from .suggestions import Candidate, check_score
from .words import count


@dataclass
class SuggestionImporter(Importer):
    _file: str = field(default="", init=False, repr=False)

    def _report(self) -> ImportReport:
        return ImportReport(as_suggestions=True)

    def _import_file(self, path: Path, fmt: Format, options: ReadOptions, report: ImportReport) -> None:
        self._file = path.name
        super()._import_file(path, fmt, options, report)

    def _import_spans(self, article_id: int, spans: list[tuple[int, int, SpanIn]], article_added: bool,
                      report: ImportReport) -> None:
        candidates = []
        for start, end, span in spans:
            try:
                score = check_score(span.score)
            except AnnotatorError as exc:
                report.problems.append(Problem(span.place, str(exc)))
                continue
            candidates.append(Candidate(start, end, span.label.strip(), score))
        if not candidates:
            return
        made = self.store.put_suggestions(f"import:{self._file}", {article_id: candidates}, actor=self.actor,
                                          withdraw=False)
        report.suggestions_added += made.total
        report.suggestions_existing += len(candidates) - made.total

    def _import_claims(self, report: ImportReport) -> None:
        if self._claims or self._links:
            report.problems.append(Problem(self._file or "import", f"{count(len(self._claims), 'claim')} and the"
                                           f" links of {count(len(self._links), 'span')} not imported: suggestions"
                                           " have no claims",
                                           rejected=False))
        self._claims, self._links = [], []


__all__ = ["SuggestionImporter"]
