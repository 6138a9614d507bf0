from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store

from .conftest import ARTICLES, articles, export_to, import_into_empty, spans

CARRIED = ("start", "end", "label", "text")


def _flat(note: str) -> str:
    return " ".join(note.split())


def test_round_trip_through_a_folder(dataset: Store, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    result = export_to(dataset, "brat", folder)
    assert sorted(p.suffix for p in folder.iterdir()).count(".ann") == 3
    assert (folder / "annotation.conf").is_file()
    assert any("annotators, review status, uids and times were not written" in w for w in result.warnings)
    assert any("note holding line breaks" in w for w in result.warnings)
    copy, report = import_into_empty([folder])
    assert not report.rejected, report.rejected
    assert report.files == 3  # three .ann, each read with its .txt
    assert spans(copy, CARRIED) == spans(dataset, CARRIED)
    assert spans(copy, ("start", "note")) == [(t, s, _flat(n)) for t, s, n in spans(dataset, ("start", "note"))]
    assert articles(copy, ("uid", "text")) == articles(dataset, ("uid", "text"))
    again = tmp_path / "again"
    export_to(copy, "brat", again)
    for path in folder.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes()


def test_round_trip_through_a_zip(dataset: Store, tmp_path: Path) -> None:
    out = tmp_path / "brat.zip"
    export_to(dataset, "brat", out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert len([n for n in names if n.endswith(".txt")]) == 3 and "annotation.conf" in names
    copy, report = import_into_empty([out])
    assert report.ok, report.problems
    assert spans(copy, CARRIED) == spans(dataset, CARRIED)


def test_spans_across_line_breaks_are_fragments(dataset: Store, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    export_to(dataset, "brat", folder)
    uid = dataset.articles()[0].uid
    ann = (folder / f"{uid}.ann").read_text(encoding="utf-8")
    text = (folder / f"{uid}.txt").read_text(encoding="utf-8")
    line = next(line for line in ann.splitlines() if line.split("\t")[1].startswith("background"))
    _, kind, quoted = line.split("\t")
    (a, b), (c, d) = (map(int, piece.split()) for piece in kind.split(" ", 1)[1].split(";"))
    assert text[a:b] == "\"report\"." and text[c:d] == "Peskov said" and text[b:c] == "\n"
    assert quoted == "\"report\". Peskov said"
    # code points: the emoji before the nested claim counts one
    claim = next(line for line in ann.splitlines() if "\tclaim " in line and "😀" in line)
    start, end = map(int, claim.split("\t")[1].split()[1:])
    assert text[start:end] == claim.split("\t")[2]


def test_ann_without_its_txt(tmp_path: Path) -> None:
    (tmp_path / "doc.ann").write_text("T1\tclaim 0 4\tSome\n", encoding="utf-8")
    store, report = import_into_empty([tmp_path / "doc.ann"])
    assert store.article_count() == 0
    assert "no doc.txt beside it" in report.rejected[0].reason


def test_crlf_txt_is_read_as_brat_reads_it(tmp_path: Path) -> None:
    # brat reads .txt with universal newlines: its offsets count a CRLF as one character
    (tmp_path / "doc.txt").write_bytes("Line one 😀\r\nPeskov denied it.\r\n".encode())
    start = len("Line one 😀\n")
    (tmp_path / "doc.ann").write_text(f"T1\tdenial {start} {start + 13}\tPeskov denied\n", encoding="utf-8")
    store, report = import_into_empty([tmp_path])
    assert report.ok, report.problems
    assert spans(store) == [("Line one 😀\nPeskov denied it.\n", start, start + 13, "denial", "Peskov denied")]
    assert store.article_count() == 1  # the .txt was not imported again on its own


def test_what_brat_has_and_we_do_not_is_reported(tmp_path: Path) -> None:
    text = ARTICLES[1]
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "doc.ann").write_text(
        "T1\tdenial 0 6\tAnkara\n"
        "T2\tclaim 0 6;10 16\tAnkara denied\n"
        "T3\tPerson 0 6\tAnkara\n"
        "T4\tclaim 0 900\tAnkara\n"
        "T5\tclaim 0 6\tWrong!\n"
        "R1\tCites Arg1:T1 Arg2:T3\n"
        "E1\tDeny:T1\n"
        "A1\tNegated T1\n"
        "#1\tAnnotatorNotes T1\ta note\n"
        "#2\tAnnotatorNotes T9\tan orphan note\n",
        encoding="utf-8",
    )
    store, report = import_into_empty([tmp_path])
    assert spans(store, ("start", "end", "label", "note")) == [(text, 0, 6, "denial", "a note")]
    reasons = " | ".join(str(p) for p in report.rejected)
    for expected in ("discontinuous span", "unknown label 'Person'", "past the end", "does not match",
                     "a note on 'T9'"):
        assert expected in reasons
    # what has no place here is said, but rejects nothing: every span of the file could still come in
    remarks = " | ".join(str(p) for p in report.remarks)
    for expected in ("relation 'R1'", "event 'E1'", "attribute 'A1'"):
        assert expected in remarks and expected not in reasons


def test_export_will_not_replace_a_folder_of_other_files(dataset: Store, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(AnnotatorError, match="holds files annotator did not write"):
        export_to(dataset, "brat", folder)
    assert [p.name for p in folder.iterdir()] == ["thesis.docx"]


def test_re_export_replaces_an_earlier_brat_folder(dataset: Store, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    export_to(dataset, "brat", folder)
    export_to(dataset, "brat", folder, article_ids=[dataset.articles()[1].id])
    assert len(list(folder.glob("*.ann"))) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left behind


def test_a_zip_of_plain_articles_imports_them_untagged(tmp_path: Path) -> None:
    out = tmp_path / "articles.zip"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("week/one.txt", "Officials denied the report.\n")
        zf.writestr("week/two.txt", "The minister said prices would fall.\n")
        zf.writestr("week/two.ann", "T1\tclaim 0 12\tThe minister\n")
        zf.writestr("notes.md", "not an article")
    copy, report = import_into_empty([out])
    assert report.ok, report.problems
    assert articles(copy) == [("Officials denied the report.\n",), ("The minister said prices would fall.\n",)]
    assert [s[1:] for s in spans(copy, ("label", "text"))] == [("claim", "The minister")]


def test_a_zip_without_articles_says_what_it_looked_for(tmp_path: Path) -> None:
    out = tmp_path / "photos.zip"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.jpg", b"\xff\xd8")
    _, report = import_into_empty([out])
    assert [p.reason for p in report.problems] == ["no brat .ann files and no .txt articles in this zip"]


def test_export_into_the_folder_of_articles_it_came_from_is_refused(tmp_path: Path) -> None:
    """The natural slip: 'export brat to the folder I imported from'. It holds only .txt files, as brat's do."""
    from annotator.core.importer import Importer

    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(3):
        (articles / f"{n}.txt").write_text(f"The Kremlin denied report number {n}.", encoding="utf-8")
    with Store.open(tmp_path / "work.db") as store:
        Importer(store, actor="ana").run([articles])
        with pytest.raises(AnnotatorError, match="holds files annotator did not write"):
            export_to(store, "brat", articles)
        assert sorted(p.name for p in articles.iterdir()) == ["0.txt", "1.txt", "2.txt"]
        # The folder an export wrote imports back without a word about its own files.
        out = tmp_path / "brat"
        export_to(store, "brat", out)
        report = Importer(store, actor="ana").run([out])
        assert report.problems == [] and report.articles_added == 0
