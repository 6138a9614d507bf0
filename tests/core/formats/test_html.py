from __future__ import annotations

from pathlib import Path

from annotator.core.importer import Importer
from annotator.core.store import Store

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Kremlin denies | Wire</title>
<meta property="og:site_name" content="Daily Wire"><meta property="article:published_time" content="2025-12-18">
<link rel="canonical" href="https://wire.test/kremlin"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> Subscribe to our newsletter</nav>
<article><h1>Kremlin denies S-400 report</h1>
<p>The Kremlin denied a Bloomberg report claiming that Erdogan raised the issue of returning the S-400 systems.</p>
<p>“This topic was not on the agenda,” Peskov told journalists on Thursday 😀.</p></article>
<footer>© Wire 2025. All rights reserved. Cookie settings.</footer></body></html>"""


def test_html_page_gives_the_article_text_and_metadata(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    report = Importer(store, actor="ana").run([path])
    assert report.ok, report.problems
    [article] = store.articles()
    text = store.article_text(article.id)
    assert "The Kremlin denied a Bloomberg report" in text and "Peskov told journalists on Thursday 😀." in text
    assert "newsletter" not in text and "Cookie" not in text
    assert article.source == "Daily Wire"
    assert article.url == "https://wire.test/kremlin"
    assert article.published == "2025-12-18"
    assert "Kremlin denies" in article.title


def test_html_without_an_article_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><img src=\"x.png\"><script>var a = 1;</script></body></html>", encoding="utf-8")
    report = Importer(store, actor="ana").run([path])
    assert [(p.place, p.reason) for p in report.rejected] == [(str(path), "no article text found in this web page")]
    assert store.article_count() == 0


def test_a_doctype_internal_subset_leaks_nothing_into_the_article(store: Store, tmp_path: Path) -> None:
    """An XML entity bomb's DOCTYPE: its entities stay unexpanded, and its ``]>`` is not the article's text."""
    path = tmp_path / "laughs.html"
    path.write_text('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
                    '<!ENTITY j "&b;&b;">]><html><head><title>L</title></head><body><p>&j; Some words here.</p>'
                    '</body></html>', encoding="utf-8")
    report = Importer(store, actor="ana").run([path])
    assert report.ok, report.problems
    [article] = store.articles()
    assert (store.article_text(article.id), article.title) == ("&j; Some words here.", "L")
