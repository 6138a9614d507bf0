"""Decoding files that are not UTF-8: the guess, what is refused, and an encoding the user names.

The corpus below is what the guess is measured on: news-like sentences in the
legacy encodings people still meet, cut to 20 ... 3,000 characters. Measured
on it (2026-12, charset-normalizer 3.4.7): charset-normalizer's first
candidate alone decoded 65 of the 105 samples right (Western text as cp1257 or
cp1250 at every length, Czech as cp1257, 40 characters of cp1251 as
mac_cyrillic); ``guess_encoding`` decodes 95. Still wrong: Hungarian whose
only letters beyond cp1252's are ő/ű (through cp1252 it reads as Portuguese:
"szóvivõje"), 20-40 characters of KOI8-R (read as Shift_JIS), and a 20-character
Lithuanian or Turkish line with one such letter. ``--encoding`` is the way out.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.core import text as decoding
from annotator.core.errors import ImportFileError
from annotator.core.importer import Importer
from annotator.core.store import Store
from annotator.core.text import decode

CORPUS = {
    "cp1252": "Café déjà vu — Straße naïve résumé, a claim here. The minister’s “denial” came at 9 o’clock; "
              "€ prices rose. Ça m’étonne: où est la vérité? Überraschung für München. El niño pidió más "
              "información. Le président a déclaré que la décision était définitive, après une réunion à l’Élysée.",
    "latin-1": "Café déjà vu - Straße naïve résumé, a claim here. Le gouvernement a démenti l'information publiée "
               "jeudi. Für die Öffentlichkeit war das überraschend. ¿Qué pasó? La señora Muñoz respondió. "
               "Os números são claros: não houve acordo, disse o ministro à imprensa em Brasília.",
    "cp1252 de": "Die Regierung hat die Vorwürfe zurückgewiesen. Größere Änderungen wären nötig, sagte Müller.",
    "cp1252 fr": "Le ministère a démenti l’information : « aucune négociation n’a eu lieu », a-t-il déclaré à l’AFP.",
    "cp1252 es": "El portavoz negó la noticia. «No hubo reunión», dijo el señor Pérez a la prensa en Málaga.",
    "cp1252 pt": "O governo negou a informação. «Não houve acordo», afirmou o ministro à imprensa em São Paulo.",
    "cp1252 da": "Regeringen afviste påstanden. Ministeren sagde, at der ikke var nogen møder i København i år.",
    "cp1250": "Příliš žluťoučký kůň úpěl ďábelské ódy. Ministr řekl, že zpráva není pravdivá. Zażółć gęślą jaźń. "
              "Rzecznik rządu zaprzeczył doniesieniom prasy o rozmowach w tej sprawie.",
    "cp1250 pl": "Rzecznik rządu zaprzeczył doniesieniom. Zażółć gęślą jaźń. Minister powiedział, że nic nie wiadomo.",
    "cp1250 cs": "Ministr řekl, že zpráva není pravdivá. Vláda odmítla obvinění a uvedla, že žádná jednání neproběhla.",
    "cp1250 hu": "A kormány szóvivője cáfolta a hírt. Nem volt semmiféle tárgyalás, mondta a miniszter a sajtónak.",
    "cp1257 lt": "Vyriausybė paneigė pranešimą. Ministras sakė, kad jokių derybų nebuvo ir šią savaitę jų nebus.",
    "cp1254 tr": "Bakanlık haberi yalanladı. Sözcü, Rusya ile böyle bir görüşme yapılmadığını açıkladı; iddialar"
                 " asılsız.",
    "cp1253 el": "Το υπουργείο διέψευσε την είδηση. Ο εκπρόσωπος είπε ότι δεν έγινε καμία συνάντηση με τη Ρωσία.",
    "cp1251": "Кремль опроверг сообщение агентства Блумберг о том, что Турция попросила Россию забрать С-400. "
              "Пресс-секретарь президента заявил, что такой просьбы не поступало. Ещё раньше говорили другое.",
    "koi8-r": "Кремль опроверг сообщение агентства Блумберг о том, что Турция попросила Россию забрать С-400. "
              "Пресс-секретарь президента заявил, что такой просьбы не поступало. Ещё раньше говорили другое.",
    "shift_jis": "クレムリンは、トルコがロシアにＳ４００の引き取りを求めたとのブルームバーグの報道を否定した。"
                 "大統領報道官は、そのような要請はなかったと述べた。トルコ国防省もこの情報は誤りだとした。",
    "gb18030": "克里姆林宫否认了彭博社关于土耳其要求俄罗斯收回S-400系统的报道。总统新闻秘书表示，没有收到这样的请求。"
               "土耳其国防部也称这一消息不实。国防工业局官员说，该系统已经部署完毕。",
}
LENGTHS = (20, 40, 80, 160, 400, 3000)
# The misses measured (see the module's docstring): kept as a list, so that a change that makes
# one of them right, or another one wrong, is seen.
KNOWN_MISSES = {("koi8-r", 20), ("koi8-r", 40), ("cp1257 lt", 20), ("cp1254 tr", 20)} | {
    ("cp1250 hu", n) for n in LENGTHS}


def samples() -> list[tuple[str, int, str, bytes]]:
    out = []
    for name, text in CORPUS.items():
        for n in LENGTHS:
            cut = (text + " " + text * (n // len(text) + 1))[:n]
            data = cut.encode(name.split()[0])
            if data.isascii():
                continue  # the 20 characters hold no letter beyond ASCII
            out.append((name, n, cut, data))
    return out


def test_the_guess_on_the_corpus() -> None:
    wrong = {(name, n) for name, n, text, data in samples() if data.decode(decoding.guess_encoding(data) or "ascii",
                                                                            "replace") != text}
    assert wrong == KNOWN_MISSES


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, t in CORPUS.items() if n.startswith(("cp1252", "latin"))])
def test_western_text_is_read_as_cp1252_at_every_length(name: str, text: str) -> None:
    for n in LENGTHS:
        cut = (text * (n // len(text) + 1))[:n]
        data = cut.encode(name.split()[0])
        if not data.isascii():
            decoded = decode(data)
            assert (decoded.text, decoded.encoding, decoded.guessed) == (cut, "cp1252", True)


def test_the_testers_files() -> None:
    """The files of the QA report: cp1257 turned à into ą and ï into ļ."""
    cp1252 = "Café déjà vu — Straße naïve résumé, a claim here.\r\nSecond line €\r\n"
    latin1 = "Café déjà vu - Straße naïve résumé, a claim here.\r\n"
    assert decode(cp1252.encode("cp1252")).text == cp1252
    assert decode(latin1.encode("latin-1")).text == latin1


def test_legacy_text_holds_no_utf8_to_speak_of() -> None:
    """What the refusal of a mostly-UTF-8 file rests on: legacy text has far more bad bytes than good characters."""
    for name, n, _text, data in samples():
        good, bad = decoding.utf8_evidence(data)
        assert len(bad) > good, (name, n, good, len(bad))


def test_utf8_with_a_stray_byte_is_refused_with_the_byte_named() -> None:
    data = "Good utf8 é ü ö ".encode() + b"\xe9 bad latin1\nline two \xe9t\xe9"
    with pytest.raises(ImportFileError) as caught:
        decode(data)
    message = str(caught.value)
    assert message.startswith("UTF-8 but for 3 bytes (0xE9 at line 1, column 17, 0xE9 at line 2, column 10, "
                              "0xE9 at line 2, column 12)")
    assert "--encoding" in message


def test_a_named_encoding_is_used_as_it_is() -> None:
    text = CORPUS["cp1257 lt"][:20]  # read as cp1252 when guessed
    assert decode(text.encode("cp1257"), "cp1257").text == text
    assert decode("Café".encode("cp1252"), "latin-1").encoding == "latin-1"
    assert decode("Ελλάδα".encode("utf-16-le"), "utf-16-le").text == "Ελλάδα"  # NUL bytes and all
    assert decode(codecs.BOM_UTF8 + b"abc", "utf-8").text == "abc"
    assert decode(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le"), "utf-16").text == "ab"


@pytest.mark.parametrize(("data", "encoding", "message"), [
    (b"abc", "klingon", "unknown encoding 'klingon'"),
    (b"abc", "base64", "'base64' is not a text encoding"),
    (b"abc", "rot13", "'rot13' is not a text encoding"),
    (b"ab\n\x81", "shift_jis", "not valid shift_jis (incomplete multibyte sequence: byte 0x81 at line 2, column 1)"),
    (codecs.BOM_UTF8 + b"abc", "cp1252", "it starts with a utf-8 byte order mark, but --encoding cp1252 was given"),
    (bytes(range(1, 32)) * 20, "latin-1", "binary data (control characters)"),
])
def test_a_named_encoding_that_does_not_fit_is_refused(data: bytes, encoding: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(data, encoding)


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(order: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        decode("Kremlin denied the report.\nAnkara too.\n".encode(order))
    assert str(caught.value) == ("binary data (it contains NUL bytes), not text; it looks like UTF-16 without a byte"
                                 f" order mark: import it with --encoding {order}")
    with pytest.raises(ImportFileError) as caught:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "UTF-16" not in str(caught.value)


def test_only_one_byte_order_mark_is_dropped(store: Store, tmp_path: Path) -> None:
    (tmp_path / "two.txt").write_bytes(codecs.BOM_UTF8 * 2 + b"Hello double bom")
    (tmp_path / "one.txt").write_bytes(codecs.BOM_UTF8 + b"Hello one bom")
    report = Importer(store, actor="ana").run([tmp_path / "two.txt", tmp_path / "one.txt"])
    assert report.ok
    assert sorted(store.article_text(a.id) for a in store.articles()) == ["Hello one bom", "\ufeffHello double bom"]


def test_import_reads_every_file_in_the_named_encoding(store: Store, tmp_path: Path) -> None:
    (tmp_path / "lt.txt").write_bytes(CORPUS["cp1257 lt"].encode("cp1257"))
    (tmp_path / "lt.jsonl").write_bytes(b'{"text": "' + "Vyriausybė paneigė".encode("cp1257") + b'"}\n')
    report = Importer(store, actor="ana", encoding="cp1257").run([tmp_path / "lt.txt", tmp_path / "lt.jsonl"])
    assert report.ok and not report.remarks
    assert sorted(store.article_text(a.id) for a in store.articles()) == ["Vyriausybė paneigė", CORPUS["cp1257 lt"]]


def test_json_lines_in_an_encoding_that_is_not_ascii_are_refused(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes('{"text": "abc"}\n'.encode("utf-16-le"))
    report = Importer(store, actor="ana", encoding="utf-16-le").run([tmp_path / "a.jsonl"])
    assert [p.reason for p in report.rejected] == [
        "a JSON-lines file is read a line at a time, which utf-16-le does not allow: convert it to UTF-8 first"
        " (iconv -f utf-16-le -t UTF-8)"]


def test_json_that_is_not_utf8_says_so(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes('{"text": "Café"}\n'.encode("cp1252"))
    report = Importer(store, actor="ana").run([tmp_path / "a.jsonl"])
    assert [p.reason for p in report.rejected] == [
        "not UTF-8, which JSON is (character 14 is a byte that is not); give --encoding if it was written in another"]


def test_an_unknown_encoding_fails_the_import_before_any_file(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("abc", encoding="utf-8")
    with pytest.raises(ImportFileError, match="unknown encoding 'nope'"):
        Importer(store, actor="ana", encoding="nope").run([tmp_path / "a.txt"])
    assert store.article_count() == 0


@pytest.mark.parametrize("name", ["unicode_escape", "raw-unicode-escape", "idna", "punycode", "undefined"])
def test_a_transform_of_text_is_no_encoding_to_read_with(name: str) -> None:
    """QA-5: --encoding unicode_escape made the four characters \\x00 of a file a real NUL, stored for ever."""
    with pytest.raises(ImportFileError, match="is not a text encoding"):
        decode(b"plain \\x00 text", name)


def test_a_forced_encoding_that_yields_a_nul_is_refused() -> None:
    with pytest.raises(ImportFileError, match="NUL character"):
        decode("text".encode("utf-16-le"), "latin-1")
