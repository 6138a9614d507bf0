from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from annotator.core.importer import Importer, ImportReport
from annotator.core.paths import seeds_dir
from annotator.core.store import Store


def _state(store: Store) -> tuple[Any, ...]:
    conn = store.db.conn
    return tuple(
        conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in ("articles", "annotations", "labels")
    ) + (store.event_count(),)


def _run(store: Store, *paths: Path, **kw: Any) -> ImportReport:
    return Importer(store, actor="ana", **kw).run(paths)


def _jsonl(path: Path, *records: Any) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path


def _reasons(report: ImportReport) -> list[tuple[str, str]]:
    return [(p.place, p.reason) for p in report.rejected]


def test_seeds_import_and_reimport_changes_nothing(store: Store) -> None:
    report = _run(store, seeds_dir())
    assert report.ok and report.articles_added == 5 and report.files == 5
    titles = [a.title for a in store.articles()]
    assert titles[1] == "Kremlin Denies Claims of Türkiye Returning S-400 Missiles to Russia"
    before = _state(store)
    again = _run(store, seeds_dir())
    assert again.ok and again.articles_added == 0 and again.articles_existing == 5
    assert _state(store) == before


def test_jsonl_with_spans_and_metadata(store: Store, tmp_path: Path) -> None:
    text = "Kremlin denied a report 😀 that Turkey asked."
    start = text.index("Turkey")
    path = _jsonl(tmp_path / "a.jsonl", {
        "title": "Denial", "source": "Wire", "url": "https://x.test/1", "published": "2025-12-18", "text": text,
        "spans": [{"start": start, "end": start + 6, "label": "CLAIM", "text": "Turkey", "annotator": "bo",
                   "note": "who?", "uid": "11111111-1111-1111-1111-111111111111"}],
    })
    report = _run(store, path)
    assert report.ok and report.spans_added == 1
    [a] = store.articles()
    assert (a.title, a.source, a.url, a.published, a.origin) == ("Denial", "Wire", "https://x.test/1", "2025-12-18",
                                                                 "a.jsonl")
    [ann] = store.annotations_for(a.id)
    assert (ann.uid, ann.label, ann.text, ann.annotator, ann.note) == (
        "11111111-1111-1111-1111-111111111111", "claim", "Turkey", "bo", "who?")
    before = _state(store)
    assert _run(store, path).ok
    assert _state(store) == before


def test_spans_without_uid_are_not_duplicated_on_reimport(store: Store, tmp_path: Path) -> None:
    span = {"start": 0, "end": 4, "label": "claim"}
    path = _jsonl(tmp_path / "a.jsonl", {"text": "Some words here.", "spans": [span]})
    _run(store, path)
    before = _state(store)
    report = _run(store, path)
    assert report.spans_existing == 1 and report.spans_added == 0
    assert _state(store) == before


def test_crlf_input_keeps_spans_on_the_same_characters(store: Store, tmp_path: Path) -> None:
    text = "First line.\r\nSecond 😀 line\rThird line.\r\n"
    start = text.index("Third")
    path = _jsonl(tmp_path / "crlf.jsonl", {"text": text, "spans": [
        {"start": start, "end": start + 5, "label": "claim", "text": "Third"},
        {"start": 0, "end": text.index("Second") + 6, "label": "background"},
    ]})
    report = _run(store, path)
    assert report.ok, _reasons(report)
    [a] = store.articles()
    stored = store.article_text(a.id)
    assert stored == "First line.\nSecond 😀 line\nThird line.\n"
    texts = sorted(ann.text for ann in store.annotations_for(a.id))
    assert texts == ["First line.\nSecond", "Third"]


def test_txt_file_with_crlf_and_bom(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Title line\r\nBody 😀\r\n".encode())
    assert _run(store, path).ok
    [a] = store.articles()
    assert store.article_text(a.id) == "Title line\nBody 😀\n"
    assert a.title == "Title line"


def test_legacy_encoding_is_reported_but_imported(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(("Le Kremlin a démenti l'information, déclare le porte-parole. " * 4).encode("cp1252"))
    report = _run(store, path)
    assert report.ok and report.articles_added == 1
    assert any("a guess" in p.reason for p in report.remarks)


# -------------------------------------------------------------- rejections


def test_file_level_rejections_name_the_file(store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.txt").write_text("  \n\t \r\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "big.txt").write_text("x" * 2048)
    (tmp_path / "good.txt").write_text("A good article.")
    report = _run(store, *(tmp_path / n for n in ("empty.txt", "blank.txt", "binary.txt", "big.txt", "good.txt")),
                  max_bytes=1024)
    reasons = dict(_reasons(report))
    assert "empty or whitespace-only" in reasons[str(tmp_path / "empty.txt")]
    assert "empty or whitespace-only" in reasons[str(tmp_path / "blank.txt")]
    assert "binary" in reasons[str(tmp_path / "binary.txt")]
    assert "too large" in reasons[str(tmp_path / "big.txt")]
    assert report.articles_added == 1 and store.article_count() == 1


def test_missing_and_unsupported_paths(store: Store, tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    report = _run(store, tmp_path / "nothing.txt", tmp_path / "photo.png")
    reasons = dict(_reasons(report))
    assert reasons[str(tmp_path / "nothing.txt")] == "no such file or folder"
    assert "unsupported file type '.png'" in reasons[str(tmp_path / "photo.png")]


def test_folder_skips_other_files_without_rejecting(store: Store, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Article A.")
    (tmp_path / "b.md").write_text("# Article B\nbody")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("secret")
    report = _run(store, tmp_path)
    assert report.ok and report.articles_added == 2
    assert sorted(a.title for a in store.articles()) == ["Article A.", "Article B"]
    assert [p.place for p in report.remarks] == [str(tmp_path / "image.png")]


def test_line_level_rejections_name_the_line(store: Store, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "mixed.jsonl",
                  {"text": "Good one."},
                  '{"text": "broken',
                  '["not", "an", "object"]',
                  {"title": "no text"},
                  {"text": 42},
                  {"text": "   "},
                  {"text": "Good two.", "spans": "nope"})
    report = _run(store, path)
    reasons = _reasons(report)
    assert [place for place, _ in reasons] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7)]
    assert "not valid JSON" in reasons[0][1]
    assert "expected a JSON object" in reasons[1][1]
    assert "no 'text' field" in reasons[2][1]
    assert "not a string" in reasons[3][1]
    assert "whitespace-only" in reasons[4][1]
    assert "'spans' is a string, not a list" in reasons[5][1]
    assert [a.title for a in store.articles()] == ["Good one."]


def test_span_level_rejections_name_the_span(store: Store, tmp_path: Path) -> None:
    text = "Kremlin denied the report."
    path = _jsonl(tmp_path / "spans.jsonl", {"text": text, "spans": [
        {"start": 0, "end": 7, "label": "claim", "text": "Kremlin"},          # 0 good
        {"start": -1, "end": 3, "label": "claim"},                             # 1 negative
        {"start": 5, "end": 99, "label": "claim"},                             # 2 past the end
        {"start": 5, "end": 5, "label": "claim"},                              # 3 empty
        {"start": 8, "end": 3, "label": "claim"},                              # 4 reversed
        {"start": 0, "end": 7, "label": "claim", "text": "Kremlim"},           # 5 text differs
        {"start": 8, "end": 14, "label": "opinion"},                           # 6 unknown label
        {"start": "8", "end": 14, "label": "claim"},                           # 7 not an int
        {"start": 8, "end": 14},                                                # 8 no label
        {"start": 8, "end": 14, "label": "denial", "status": "maybe"},         # 9 bad status
    ]})
    report = _run(store, path)
    reasons = dict(_reasons(report))
    place = f"{path}:1 span"
    assert "negative" in reasons[f"{place}[1]"]
    assert "past the end" in reasons[f"{place}[2]"]
    assert "not before" in reasons[f"{place}[3]"]
    assert "not before" in reasons[f"{place}[4]"]
    assert "does not match" in reasons[f"{place}[5]"]
    assert "unknown label 'opinion'" in reasons[f"{place}[6]"]
    assert "whole numbers" in reasons[f"{place}[7]"]
    assert "missing 'label'" in reasons[f"{place}[8]"]
    assert "unknown status" in reasons[f"{place}[9]"]
    assert len(reasons) == 9
    [a] = store.articles()
    assert [x.text for x in store.annotations_for(a.id)] == ["Kremlin"]


def test_create_labels(store: Store, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "l.jsonl", {"text": "An opinion here.", "spans": [
        {"start": 3, "end": 10, "label": "Opinion"}, {"start": 11, "end": 15, "label": "opinion"}]})
    report = _run(store, path, create_labels=True)
    assert report.ok and report.labels_created == ["Opinion"]
    label = store.label("opinion")
    assert label.shortcut == "4" and label.colour.startswith("#")
    assert report.spans_added == 2


def test_strict_is_all_or_nothing(store: Store, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good article.")
    path = _jsonl(tmp_path / "bad.jsonl", {"text": "Fine.", "spans": [{"start": 0, "end": 4, "label": "nope"}]})
    before = _state(store)
    report = _run(store, tmp_path / "good.txt", path, strict=True, create_labels=False)
    assert not report.committed and not report.ok
    assert "nothing was imported" in report.summary()
    assert _state(store) == before
    # and the store is still usable afterwards, with no stale cache
    assert _run(store, tmp_path / "good.txt").articles_added == 1


def test_uid_clash_with_another_article_is_rejected(store: Store, tmp_path: Path) -> None:
    uid = "22222222-2222-2222-2222-222222222222"
    _run(store, _jsonl(tmp_path / "a.jsonl", {"text": "First text.", "spans": [
        {"start": 0, "end": 5, "label": "claim", "uid": uid}]}))
    report = _run(store, _jsonl(tmp_path / "b.jsonl", {"text": "Second text.", "spans": [
        {"start": 0, "end": 6, "label": "claim", "uid": uid}]}))
    assert "already used" in report.rejected[0].reason


def test_csv_articles(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Title,Source,text\r\nFirst,Wire,"Line one\r\nline two"\r\n,,\r\nSecond,Daily,Body two\r\n',
                    encoding="utf-8")
    report = _run(store, path)
    assert report.ok
    arts = store.articles()
    assert [(a.title, a.source) for a in arts] == [("First", "Wire"), ("Second", "Daily")]
    assert store.article_text(arts[0].id) == "Line one\nline two"


def test_csv_without_text_column_or_a_span_export(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("title,body\nx,y\n")
    (tmp_path / "b.csv").write_text("article_id,title,source,start,end,label,text,annotator,status,note,uid\n")
    report = _run(store, tmp_path / "a.csv", tmp_path / "b.csv")
    reasons = dict(_reasons(report))
    assert "no 'text' column" in reasons[str(tmp_path / "a.csv")]
    assert "span export" in reasons[str(tmp_path / "b.csv")]


def test_json_array_and_truncated_json(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"text": "One."}, {"text": "Two."}, {"nope": 1}]))
    (tmp_path / "b.json").write_text('[{"text": "One."')
    report = _run(store, tmp_path / "a.json", tmp_path / "b.json")
    reasons = dict(_reasons(report))
    assert reasons == {f"{tmp_path / 'a.json'}[2]": "no 'text' field",
                       str(tmp_path / "b.json"): reasons[str(tmp_path / "b.json")]}
    assert "not valid JSON" in reasons[str(tmp_path / "b.json")]
    assert store.article_count() == 2


def test_cancel_rolls_back(store: Store, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Article {i}.")
    report = Importer(store, actor="ana").run([tmp_path], progress=lambda done, total, _: done < 2)
    assert report.cancelled and not report.committed
    assert store.article_count() == 0


def test_unattributed_spans_are_not_credited_to_the_importer(store: Store, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": "Some words here.", "spans": [
        {"start": 0, "end": 4, "label": "claim"}, {"start": 5, "end": 10, "label": "claim", "annotator": "bo"}]})
    _run(store, path)
    [article] = store.articles()
    assert [a.annotator for a in store.annotations_for(article.id)] == ["unknown", "bo"]
    events = store.events_for(store.annotations_for(article.id)[0].uid)
    assert events[0].actor == "ana"  # who imported it
    other = Store.memory()
    Importer(other, actor="ana", default_annotator="carla").run([path])
    assert [a.annotator for a in other.annotations_for(1)] == ["carla", "bo"]


def test_reimporting_upper_case_labels_without_uids_adds_nothing(store: Store, tmp_path: Path) -> None:
    # Labels match case-insensitively, so the dedupe key must too: "CLAIM" here is the stored "claim",
    # and "opinion" the "Opinion" the first import created.
    first_file = _jsonl(tmp_path / "a.jsonl", {"text": "Some words here.", "spans": [
        {"start": 0, "end": 4, "label": "CLAIM"}, {"start": 5, "end": 10, "label": " Denial "},
        {"start": 11, "end": 15, "label": "Opinion"}]})
    first = _run(store, first_file, create_labels=True)
    assert (first.spans_added, first.spans_existing) == (3, 0)
    before = _state(store)
    again = _run(store, first_file)
    assert (again.spans_added, again.spans_existing) == (0, 3)
    assert _state(store) == before
    other_case = _jsonl(tmp_path / "b.jsonl", {"text": "Some words here.", "spans": [
        {"start": 0, "end": 4, "label": "claim"}, {"start": 11, "end": 15, "label": "opinion"}]})
    assert (_run(store, other_case).spans_existing, _state(store)) == (2, before)


def test_the_same_span_twice_in_one_file_in_two_cases_is_added_once(store: Store, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": "Some words here.", "spans": [
        {"start": 0, "end": 4, "label": "claim"}, {"start": 0, "end": 4, "label": "Claim"}]})
    report = _run(store, path)
    assert (report.spans_added, report.spans_existing) == (1, 1)


def test_a_rolled_back_import_reports_nothing_added(store: Store, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good article.")
    path = _jsonl(tmp_path / "bad.jsonl", {"text": "Fine words.", "spans": [
        {"start": 0, "end": 4, "label": "rumour"}, {"start": 5, "end": 10, "label": "claim"},
        {"start": 0, "end": 99, "label": "claim"}]})
    report = _run(store, tmp_path / "good.txt", path, strict=True, create_labels=True)
    assert not report.committed
    assert (report.articles_added, report.spans_added, report.labels_created) == (0, 0, [])
    assert "rumour" not in report.summary()


def test_a_label_created_by_a_rolled_back_import_can_be_created_again(store: Store, tmp_path: Path) -> None:
    # The rollback removes the new label's row: a label cache that kept it would send the next
    # import's spans to a label id that no longer exists (a foreign key error).
    path = _jsonl(tmp_path / "a.jsonl", {"text": "Fine words.", "spans": [
        {"start": 0, "end": 4, "label": "rumour"}, {"start": 0, "end": 99, "label": "claim"}]})
    assert not _run(store, path, strict=True, create_labels=True).committed
    assert not store.has_label("rumour")
    report = _run(store, path, create_labels=True)
    assert report.committed and report.labels_created == ["rumour"] and report.spans_added == 1
    [article] = store.articles()
    assert [(a.label, a.text) for a in store.annotations_for(article.id)] == [("rumour", "Fine")]


def test_the_summary_in_words() -> None:
    from annotator.core.formats.base import Problem

    def summary(**kw: Any) -> str:
        return ImportReport(**kw).summary()

    assert summary(cancelled=True, files=3) == "import cancelled; nothing was imported"
    assert summary(committed=False, problems=[Problem("a.jsonl:2", "bad")]) == (
        "nothing was imported (--strict): 1 problem")
    assert summary(committed=False, problems=[Problem("a", "x"), Problem("b", "y"), Problem("c", "z", rejected=False)]
                   ) == "nothing was imported (--strict): 2 problems"
    assert summary(files=1, articles_added=1, spans_added=1) == "1 file read: 1 article added, 1 span added"
    assert summary(files=2, articles_added=0, spans_added=3, articles_existing=1) == (
        "2 files read: 0 articles added, 3 spans added, 1 article and 0 spans already present")
    assert summary(files=2, articles_existing=2, spans_existing=1) == (
        "2 files read: 0 articles added, 0 spans added, 2 articles and 1 span already present")
    assert summary(files=1, labels_created=["opinion", "rumour"], problems=[Problem("a", "x")]) == (
        "1 file read: 0 articles added, 0 spans added, new labels: opinion, rumour, 1 rejected")
    assert summary(files=1, problems=[Problem("a", "remark only", rejected=False)]) == (
        "1 file read: 0 articles added, 0 spans added")


def test_every_refusal_of_a_file_in_words(store: Store, tmp_path: Path) -> None:
    import os

    (tmp_path / "blank.txt").write_text("  \n\t \r\n")
    (tmp_path / "big.txt").write_text("x" * 1_572_864)  # 1.5 MB
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "noext").write_text("no extension")
    os.mkfifo(tmp_path / "pipe.txt")
    report = _run(store, *(tmp_path / n for n in ("blank.txt", "big.txt", "photo.png", "noext", "pipe.txt", "gone")),
                  max_bytes=1_048_576)
    from annotator.core import formats

    supported = ", ".join(sorted({ext for f in formats.import_formats() for ext in f.extensions}))
    assert supported.startswith(".ann, .bio, .conll, .csv, ")
    assert _reasons(report) == [
        (str(tmp_path / "photo.png"), f"unsupported file type '.png' (supported: {supported})"),
        (str(tmp_path / "noext"), f"unsupported file type '(no extension)' (supported: {supported})"),
        (str(tmp_path / "pipe.txt"), "not a regular file"),
        (str(tmp_path / "gone"), "no such file or folder"),
        (str(tmp_path / "blank.txt"), "empty or whitespace-only text"),
        (str(tmp_path / "big.txt"), "too large (1.5 MB; the limit is 1.0 MB, see --max-size)"),
    ]
    assert report.files == 2


def test_a_text_over_the_limit_once_decoded(store: Store, tmp_path: Path) -> None:
    # The file fits (UTF-16: two bytes a character), its text does not (three UTF-8 bytes a character).
    path = tmp_path / "wide.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + ("€" * 400_000).encode("utf-16-le"))
    report = _run(store, path, max_bytes=1_048_576)
    assert _reasons(report) == [(str(path), "text too large (1.1 MB; the limit is 1.0 MB, see --max-size)")]


def test_every_refusal_of_a_span_in_words(store: Store, tmp_path: Path) -> None:
    text = "Kremlin 😀 denied\r\nthe report."
    path = _jsonl(tmp_path / "s.jsonl", {"text": text, "spans": [
        {"start": "8", "end": 14, "label": "claim"},
        {"start": 0, "end": 7, "label": "claim", "text": 7},
        {"start": 0, "end": 7, "label": "  "},
        {"start": 0, "end": 7, "label": 3},
        {"start": 0, "end": 7, "label": "claim", "text": "Kremlim"},
        {"start": 16, "end": 17, "label": "claim"},  # only the CR of the CRLF
        {"start": 8, "end": 9, "label": "claim", "text": "😀"},
    ]})
    report = _run(store, path)
    place = f"{path}:1 span"
    assert _reasons(report) == [
        (f"{place}[0]", "offsets must be whole numbers, got start='8' end=14"),
        (f"{place}[1]", "the span's 'text' is not a string"),
        (f"{place}[2]", "the label must be a non-empty string, got '  '"),
        (f"{place}[3]", "the label must be a non-empty string, got 3"),
        (f"{place}[4]", "span text 'Kremlim' does not match the article text at [0, 7): 'Kremlin'"),
        (f"{place}[5]", "the span holds only a carriage return, which import removes"),
    ]


def test_utf16_offsets_are_converted_and_said_so(store: Store, tmp_path: Path) -> None:
    text = "A 😀 B 😀 claim here."
    task = {"data": {"text": text}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 10, "end": 15, "text": "claim", "labels": ["claim"]}},  # UTF-16
        {"type": "labels", "value": {"start": 8, "end": 13, "text": "claim", "labels": ["claim"]}},  # code points
        {"type": "labels", "value": {"start": 0, "end": 3, "text": "nope", "labels": ["claim"]}},
    ]}]}
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    report = _run(store, path)
    assert [(p.reason, p.rejected) for p in report.problems] == [
        ("span text 'nope' does not match the article text at [0, 3): 'A 😀' (nor as UTF-16 offsets)", True),
        ("1 span carried UTF-16 offsets (as older JavaScript tools write them); converted to code points", False),
    ]
    [article] = store.articles()
    assert [(a.start, a.end) for a in store.annotations_for(article.id)] == [(8, 13)]
    assert report.spans_added == 1 and report.spans_existing == 1


def test_labels_made_on_import_take_the_free_keys_and_colours_in_turn(store: Store, tmp_path: Path) -> None:
    from annotator.core.importer import EXTRA_COLOURS

    store.add_label("taken", "#123456", "4", actor="lead")
    names = [f"label{i}" for i in range(8)]
    path = _jsonl(tmp_path / "l.jsonl", {"text": "Some words here.", "spans": [
        {"start": 0, "end": 4, "label": name} for name in names]})
    report = _run(store, path, create_labels=True)
    assert report.labels_created == names
    made = {label.name: label for label in store.labels()}
    assert [made[n].shortcut for n in names] == ["5", "6", "7", "8", "9", "", "", ""]
    assert [made[n].colour for n in names] == [EXTRA_COLOURS[i % len(EXTRA_COLOURS)] for i in range(8)]
    assert {made[n].description for n in names} == {"created on import"}
    assert [e.actor for e in store.events(entity="label") if e.entity_uid in names] == ["ana"] * 8


def test_a_uid_already_used_elsewhere_in_words(store: Store, tmp_path: Path) -> None:
    uid = "22222222-2222-2222-2222-222222222222"
    _run(store, _jsonl(tmp_path / "a.jsonl", {"text": "First text.", "spans": [
        {"start": 0, "end": 5, "label": "claim", "uid": uid}]}))
    path = _jsonl(tmp_path / "b.jsonl", {"text": "Second text.", "spans": [
        {"start": 0, "end": 6, "label": "claim", "uid": uid}, {"start": 7, "end": 11, "label": "claim", "uid": "u2"},
        {"start": 0, "end": 6, "label": "denial", "uid": "u2"}]})
    assert _reasons(_run(store, path)) == [
        (f"{path}:1 span[0]", f"uid {uid} is already used by another span"),
        (f"{path}:1 span[2]", "uid u2 is already used by another span"),
    ]


def test_claims_and_links_in_a_native_file_in_words(store: Store, tmp_path: Path) -> None:
    uid = "33333333-3333-4333-8333-333333333333"
    text = "Turkey asked Russia to take back the S-400."
    path = _jsonl(
        tmp_path / "c.jsonl",
        {"text": text, "spans": [{"start": 0, "end": 6, "label": "claim", "uid": uid, "links": [
            {"claim": "c1", "role": "states"}, {"claim": "c1", "role": "states"}, {"role": "states"},
            {"claim": "c1", "role": "shouts"}, {"claim": "c9", "role": "denies"}, "junk"]}]},
        {"claim": {"uid": "c1", "summary": "  Turkey   asked  Russia ", "verdict": "half baked",
                   "verdict_value": 0.2, "claim_date": "2025-12-18", "review_url": "https://example.org/check"}},
        {"claim": {"uid": "c1", "summary": "the same claim twice"}},
        {"claim": {"summary": "no uid"}},
        {"claim": {"uid": "c2", "summary": "s", "verdict": "unheard of"}},
        {"claim": {"uid": "c3", "summary": "s", "claim_date": "18/12/2025"}},
        {"claim": {"uid": "c4", "summary": "s", "review_url": "example.org"}},
    )
    report = _run(store, path)
    rows = [(p.place, p.reason, p.rejected) for p in report.problems]
    assert rows == [
        (f"{path}:2", "rating 'half baked' added to the scale (value 0.2)", False),
        (f"{path}:4", "a claim needs a 'uid' and a 'summary'", True),
        (f"{path}:5", "unknown rating 'unheard of', and no 'verdict_value' to add it to the scale with; the verdict"
                      " was dropped (the claim has none)", False),
        (f"{path}:6", "the claim date '18/12/2025' is not an ISO 8601 date such as 2025-12-18 (or a date and time"
                      " such as 2025-12-18T09:30:00Z); dropped", False),
        (f"{path}:7", "the fact-check url 'example.org' is not a web address (http:// or https:// and a host);"
                      " dropped", False),
        (f"{path}:1 span[0] link[2]", "a link needs the uid of its claim ('claim')", True),
        (f"{path}:1 span[0] link[3]", "unknown role 'shouts' (roles: states, denies, supports, context)", True),
        (f"{path}:1 span[0] link[4]", "no claim c9 in the file or the database", True),
        (f"{path}:1 span[0] link[5]", "a link needs the uid of its claim ('claim')", True),
    ]
    assert (report.claims_added, report.claims_existing, report.links_added) == (4, 1, 1)
    claim = store.claim("c1")
    assert (claim.summary, claim.verdict, claim.claim_date, claim.review_url, claim.created_by) == (
        "Turkey asked Russia", "half baked", "2025-12-18", "https://example.org/check", "ana")
    assert (store.rating("half baked").description, store.rating("half baked").value) == ("created on import", 0.2)
    assert report.summary() == ("1 file read: 1 article added, 1 span added, 4 claims and 1 link added,"
                                " 1 claim already present, 5 rejected")
    again = _run(store, path)
    assert "0 claims and 0 links added" not in again.summary() and "5 claims already present" in again.summary()


def test_an_unknown_label_lists_the_labels(store: Store, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": "Some words.", "spans": [{"start": 0, "end": 4, "label": " rumour "}]})
    assert _reasons(_run(store, path)) == [(f"{path}:1 span[0]", "unknown label 'rumour' (labels: claim, denial,"
                                                                  " background; --create-labels adds it)")]


def test_problems_past_the_listed_ones_are_counted_by_kind() -> None:
    from annotator.core.formats.base import LISTED_PROBLEMS, Problem
    from annotator.core.importer import ImportReport

    for rejected, remarks, said in ((3, 0, "3 more rejections in this file, not listed"),
                                    (0, 1, "1 more remark in this file, not listed"),
                                    (2, 1, "3 more problems (2 rejected, 1 remark) in this file, not listed")):
        report = ImportReport()
        for n in range(LISTED_PROBLEMS + rejected + remarks):
            report.add(Problem("f.jsonl", f"problem {n}", rejected=n < LISTED_PROBLEMS + rejected))
        report.end_file(Path("f.jsonl"))
        assert report.problems[-1].reason == said
        assert report.problems[-1].rejected == (rejected > 0)


def test_offsets_that_are_whole_numbers_are_said_to_be(store: Store, tmp_path: Path) -> None:
    """A JSON integer past 64 bits reaches the reader as a float: it is far past the text, not a fraction."""
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "Kremlin denied it.", "spans": ['
                    '{"start": 0, "end": 1000000000000000000000000000000, "label": "claim"},'
                    '{"start": -100000000000000000000, "end": 7, "label": "claim"},'
                    '{"start": 0.0, "end": 7.0, "label": "claim"},'
                    '{"start": 0.5, "end": 7, "label": "denial"}]}\n', encoding="utf-8")
    report = _run(store, path)
    place = f"{path}:1 span"
    assert _reasons(report) == [
        (f"{place}[0]", "end 1e+30 is far past the end of the text (18 characters)"),
        (f"{place}[1]", "start -1e+20 is far before the start of the text (18 characters)"),
        (f"{place}[3]", "offsets must be whole numbers, got start=0.5 end=7"),
    ]
    [article] = store.articles()
    assert [(a.start, a.end, a.label) for a in store.annotations_for(article.id)] == [(0, 7, "claim")]


def test_a_long_label_from_before_the_limit_is_still_matched(store: Store, tmp_path: Path) -> None:
    long_name = "an old label with a very long name, made before names had a limit of sixty characters"
    store.insert_label_row(long_name, "#000000", "", "")
    path = _jsonl(tmp_path / "a.jsonl", {"text": "Kremlin denied it.", "spans": [
        {"start": 0, "end": 7, "label": long_name}, {"start": 8, "end": 14, "label": "x" * 61}]})
    report = _run(store, path)
    assert _reasons(report) == [(f"{path}:1 span[1]", f"the label name '{'x' * 59}…' has 61 characters; a label"
                                                      " name has at most 60")]
    [article] = store.articles()
    assert [a.label for a in store.annotations_for(article.id)] == [long_name]


def test_the_same_span_given_twice_under_two_uids_is_imported_once(tmp_path: Path) -> None:
    """QA-5: import (and merge) take offsets, label and annotator for the same span, whatever its uid."""
    from annotator.core.importer import Importer
    from annotator.core.store import Store

    path = tmp_path / "twice.jsonl"
    span = {"start": 0, "end": 7, "label": "claim", "annotator": "ana"}
    path.write_text(json.dumps({"text": "Kremlin denied it.", "spans": [{**span, "uid": "one"},
                                                                         {**span, "uid": "two"}]}) + "\n")
    with Store.open(tmp_path / "w.db") as store:
        report = Importer(store, actor="ana").run([path])
        assert [a.uid for a in store.annotations()] == ["one"]
        assert report.spans_existing == 1
        assert [p.reason for p in report.remarks] == [
            "the same span (offsets, label, annotator) as one: imported once"]
