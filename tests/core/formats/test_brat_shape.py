"""brat, exactly: the files written for known records, and what each kind of .ann line reads as."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from annotator.core.atomic import MANIFEST
from annotator.core.errors import ImportFileError
from annotator.core.formats import brat
from annotator.core.formats.base import ReadOptions, SpanIn

from .shapes import ARTICLE_UID, TEXT, read_all, reasons, record, span, two_spans, written

BROKEN = "Line one here.\nLine two there.\n\nEnd."
BROKEN_UID = "55555555-5555-4555-8555-555555555555"
CONF = ("[entities]\nclaim\ndenial\nrumour_mill\n\n[relations]\n# spans here nest and overlap freely\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n")


def _records() -> list[dict]:
    breaks = [span("a", 5, 20, "claim", text=BROKEN),             # across a line break: two fragments
              span("b", 0, 15, "denial", text=BROKEN),            # ends on a line break: written without it
              span("c", 30, 32, "claim", text=BROKEN),            # only line breaks: not written
              span("d", 32, 36, "rumour mill", note="a\rb", text=BROKEN)]
    return [record(two_spans()), record(breaks, text=BROKEN, uid=BROKEN_UID, article_id=2)]


FILES = {
    f"{ARTICLE_UID}.txt": TEXT,
    f"{ARTICLE_UID}.ann": ("T1\tdenial 0 33\tKremlin denied a Bloomberg report\n"
                           "#1\tAnnotatorNotes T1\tthe wire report\n"
                           "T2\tclaim 17 33\tBloomberg report\n"),
    f"{BROKEN_UID}.txt": BROKEN,
    f"{BROKEN_UID}.ann": ("T1\tclaim 5 14;15 20\tone here. Line \n"
                          "T2\tdenial 0 14\tLine one here.\n"
                          "T3\trumour_mill 32 36\tEnd.\n"
                          "#3\tAnnotatorNotes T3\ta b\n"),
    "annotation.conf": CONF,
}
WARNINGS = [
    "brat types cannot hold spaces: label 'rumour mill' written as 'rumour_mill' (an import into a database with"
    " that label reads it back)",
    "1 span beginning or ending on a line break, which brat fragments cannot: written without it",
    "1 span holding only line breaks, which brat cannot show: not written",
    "2 notes holding line breaks: written on one line",
    "brat keeps offsets, labels and notes: annotators, review status, uids and times were not written",
]


def test_the_written_zip() -> None:
    raw, warnings = written(brat.write, _records())
    assert warnings == WARNINGS
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert zf.namelist() == list(FILES)
        assert {name: zf.read(name).decode("utf-8") for name in FILES} == FILES
        assert {info.compress_type for info in zf.infolist()} == {zipfile.ZIP_DEFLATED}


def test_a_zip_written_to_a_stream_that_cannot_seek() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            self.data += b
            return len(b)

    pipe = Pipe()
    brat.write(_records(), pipe)  # type: ignore[arg-type]
    with zipfile.ZipFile(io.BytesIO(bytes(pipe.data))) as zf:
        assert zf.read("annotation.conf").decode("utf-8") == CONF


def test_the_written_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    assert brat.write_path(_records(), target) == WARNINGS
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir() if p.name != MANIFEST} == FILES
    assert manifest.pop("signature")   # this user's HMAC of the files (atomic._signature)
    assert manifest == {"written_by": "annotator", "files": {
        name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in FILES.items()}}


def test_nothing_to_warn_about() -> None:
    assert written(brat.write, [record()])[1] == []


def _pair(tmp_path: Path, ann: str, text: str | bytes = BROKEN, stem: str = BROKEN_UID) -> Path:
    (tmp_path / f"{stem}.txt").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    path = tmp_path / f"{stem}.ann"
    path.write_text(ann, encoding="utf-8")
    return path


def test_each_kind_of_line(tmp_path: Path) -> None:
    path = _pair(tmp_path, "T1\tclaim 5 14;15 20\tone here. Line \n"
                           "\n"
                           "T2\tdenial 0 4\tLine\n"
                           "#1\tAnnotatorNotes T2\tfirst\n"
                           "#2\tAnnotatorNotes T2\tsecond\n"
                           "#3\tAnnotatorNotes T99\tlost\n"
                           "#4\tStatus T1\tdone\n"
                           "#5\t\tnothing\n"
                           "R1\tBefore Arg1:T1 Arg2:T2\n"
                           "E1\tClaim:T1\n"
                           "A1\tNegated T1\n"
                           "N1\tReference T1 Wikidata:Q1\n"
                           "*\tEquiv T1 T2\n"
                           "X1 what is this line, it goes on and on for more than sixty characters\n"
                           "T3 claim 0 4 Line\n"
                           "T4\tclaim 0 x\tLine\n"
                           "T5\tclaim 5 14;15 21\tone here. Line t\n"
                           "T6\tclaim 5 14;15 20\tsomething else\n"
                           "T7\tclaim 0 4;9 13\tLine here\n"
                           "T8\tclaim 0 10;5 14\tLine one h one here.\n"
                           "T9\tbackground 0 4;30 99\twhatever\n"
                           "T10\tbackground 32 36\tEnd.\n")
    records, problems = read_all(brat.read, path)
    at = f"{path}:"
    assert reasons(problems) == [
        (f"{at}7", "a brat comment of type 'Status' has no place here; not imported (only AnnotatorNotes on spans"
                   " are kept)", False),
        (f"{at}8", "a brat comment of type '?' has no place here; not imported (only AnnotatorNotes on spans"
                   " are kept)", False),
        (f"{at}9", "brat relation 'R1' not imported: spans here have no relations", False),
        (f"{at}10", "brat event 'E1' not imported: spans here have no events", False),
        (f"{at}11", "brat attribute 'A1' not imported: spans here have no attributes", False),
        (f"{at}12", "brat normalisation 'N1' not imported: spans here have no normalisations", False),
        (f"{at}13", "brat equivalence '*' not imported: spans here have no equivalences", False),
        (f"{at}14", "not a brat annotation line: 'X1 what is this line, it goes on and on for more than sixty '",
         True),
        (f"{at}15", "T3 claim 0 4 Line: no tab before the span text", True),
        (f"{at}16", "T4: offsets '0 x' are not 'start end' pairs", True),
        (f"{at}18", "T6: span text 'something else' does not match the article at 5 14;15 20", True),
        (f"{at}19", "T7: a discontinuous span (0 4;9 13); spans here are continuous, not imported", True),
        (f"{at}20", "T8: a discontinuous span (0 10;5 14); spans here are continuous, not imported", True),
        (f"{at}6", "a note on 'T99', which is not a span of this file; not imported", True),
    ]
    [article] = records
    assert (article.text, article.place, article.origin, article.uid) == (
        BROKEN, str(path), f"{BROKEN_UID}.ann", BROKEN_UID)
    assert article.spans == [
        SpanIn(5, 20, "claim", f"{at}1", text="one here.\nLine "),
        SpanIn(0, 4, "denial", f"{at}3", text="Line", note="first\nsecond"),
        SpanIn(5, 21, "claim", f"{at}17", text="one here.\nLine t"),
        SpanIn(0, 99, "background", f"{at}21"),  # past the end: the importer says so, with the text it has
        SpanIn(32, 36, "background", f"{at}22", text="End."),
    ]


def test_the_text_is_read_as_brat_reads_it(tmp_path: Path) -> None:
    # universal newlines, and a UTF-8 byte order mark kept as a character that offsets count
    path = _pair(tmp_path, "T1\tclaim 1 5\tLine\nT2\tclaim 6 9\ttwo\n", codecs.BOM_UTF8 + b"Line\r\ntwo\rend",
                 stem="plain")
    [article], problems = read_all(brat.read, path)
    assert problems == []
    assert article.text == "\ufeffLine\ntwo\nend" and article.uid is None
    assert [(s.start, s.end, s.text) for s in article.spans] == [(1, 5, "Line"), (6, 9, "two")]


def test_a_text_in_a_legacy_encoding_is_remarked(tmp_path: Path) -> None:
    path = _pair(tmp_path, "T1\tclaim 0 4\tCafé\n", "Café, naïve résumé, à la carte: déjà vu.".encode("cp1252"),
                 stem="legacy")
    [article], problems = read_all(brat.read, path)
    [remark] = problems
    assert (remark.place, remark.rejected) == (str(path), False)
    assert remark.reason.startswith("text not UTF-8; decoded as ") and remark.reason.endswith(" (a guess)")
    assert article.text.startswith("Café")


def test_an_ann_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "x.ann"
    path.write_bytes(b"T1\x00\x00binary")
    (tmp_path / "x.txt").write_text("Some text.")
    records, problems = read_all(brat.read, path)
    assert records == []
    assert reasons(problems) == [(str(path), "binary data (it contains NUL bytes), not text", True)]


def test_a_txt_without_an_ann_is_an_article_without_spans(tmp_path: Path) -> None:
    (tmp_path / "lone.txt").write_text("Just text.")
    [article], problems = read_all(brat.read, tmp_path / "lone.ann")
    assert (article.text, article.spans, problems) == ("Just text.", [], [])


def test_files_brat_readers_refuse_or_skip(tmp_path: Path) -> None:
    conf = tmp_path / "annotation.conf"
    conf.write_text(CONF)
    records, problems = read_all(brat.read, conf)
    assert records == [] and reasons(problems) == [
        (str(conf), "brat configuration; its entity types are not needed here", False)]
    with pytest.raises(ImportFileError) as alone:
        list(brat.read(tmp_path / "alone.ann", ReadOptions()))
    assert str(alone.value) == "no alone.txt beside it: a brat .ann needs its .txt, same name"
    assert brat.companions(tmp_path / "x.ANN") == [tmp_path / "x.txt"]
    assert brat.companions(tmp_path / "x.txt") == []


def _zip(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("folder/", "")
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_a_zip_of_pairs(tmp_path: Path) -> None:
    path = _zip(tmp_path, {
        "folder/a.ann": "T1\tclaim 0 4\tLine\n", "folder/a.txt": "Line one.",
        "b.ann": "T1\tclaim 0 4\tLine\n",
        "d.ann": "", "d.txt": "x" * 20,
        "readme.md": "ignored",
    })
    records, problems = read_all(brat.read, path)
    assert reasons(problems) == [(f"{path}!b.ann", "no b.txt beside it: a brat .ann needs its .txt", True)]
    assert [(r.place, r.origin, r.text[:9], len(r.spans)) for r in records] == [
        (f"{path}!d.ann", "b.zip!d.ann", "x" * 9, 0), (f"{path}!folder/a.ann", "a.ann", "Line one.", 1)]


def test_a_zip_without_pairs_or_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as empty:
        list(brat.read(_zip(tmp_path, {"a.conf": "x", "b.md": "y"}), ReadOptions()))
    assert str(empty.value) == "no brat .ann files and no .txt articles in this zip"
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError) as broken:
        list(brat.read(bad, ReadOptions()))
    assert str(broken.value) == "not a valid zip file (File is not a zip file)"
