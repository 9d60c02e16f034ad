"""URLs and feeds, against a local HTTP server started by the test (SYNTHETIC pages)."""

from __future__ import annotations

import time

import pytest

from briefer.ingest import Filters, load, web
from tests.conftest import FIXTURES
from tests.fakeserver import FakeServer, Reply

PAGE = (FIXTURES / "page.html").read_bytes()
HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.fixture
def server():
    with FakeServer() as server:
        yield server


def test_a_page_is_fetched_and_extracted(server):
    server.queue(Reply(raw=PAGE, headers=HTML))
    loaded = load([f"{server.url}/energy/grid"])
    (article,) = loaded.articles
    assert article.format == "html" and article.path_or_url == f"{server.url}/energy/grid"
    assert "national grid operator warned" in article.text
    assert server.requests[0].headers["user-agent"].startswith("briefer/")


@pytest.mark.parametrize(("reply", "reason"), [
    (Reply({"error": "gone"}, 404), "HTTP 404 Not Found"),
    (Reply(raw=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, headers={"content-type": "image/png"}),
     "unsupported content type 'image/png'"),
    (Reply(raw=b"x" * 10, headers={**HTML, "content-length": "99999999"}), "exceeds the"),
])
def test_bad_responses_are_clean_failures(server, reply, reason):
    server.queue(reply)
    loaded = load([f"{server.url}/x"], max_bytes=1_000_000)
    assert loaded.articles == []
    assert reason in str(loaded.failures[0])


def test_a_body_larger_than_the_cap_is_cut_off_while_streaming(server):
    server.queue(Reply(raw=b"<html><body>" + b"word " * 400_000 + b"</body></html>",
                       headers={"content-type": "text/html"}))
    loaded = load([f"{server.url}/huge"], max_bytes=100_000)
    assert "larger than the 0 MB limit" in str(loaded.failures[0]) or \
        "limit" in str(loaded.failures[0])


def test_redirect_loops_are_bounded(server):
    loop = Reply(raw=b"", status=302, headers={"location": "/again"})
    server.queue(*[loop] * (web.MAX_REDIRECTS + 2))
    loaded = load([f"{server.url}/start"])
    assert "too many redirects" in str(loaded.failures[0])
    assert len(server.requests) == web.MAX_REDIRECTS + 1


def test_a_slow_server_times_out_without_blocking_the_others(server, monkeypatch):
    monkeypatch.setattr(web, "TIMEOUT_S", 0.5)
    with FakeServer() as fast:
        server.queue(Reply(raw=PAGE, headers=HTML, delay=3))
        fast.queue(Reply(raw=PAGE, headers=HTML))
        start = time.perf_counter()
        loaded = load([f"{server.url}/slow", f"{fast.url}/fast"])
        elapsed = time.perf_counter() - start
    assert [a.path_or_url for a in loaded.articles] == [f"{fast.url}/fast"]
    assert "timed out" in str(loaded.failures[0])
    assert elapsed < 2.5


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Coastal Wire</title><link>{url}</link>
<item><title>Harbour talks collapse</title><link>{url}/harbour</link>
<pubDate>Thu, 12 Mar 2026 09:00:00 GMT</pubDate>
<description><![CDATA[{full}]]></description></item>
<item><title>Grid warning</title><link>{url}/grid</link>
<pubDate>Wed, 11 Mar 2026 09:00:00 GMT</pubDate><description>Short teaser.</description></item>
<item><title>Old news</title><link>{url}/old</link>
<pubDate>Mon, 02 Feb 2026 09:00:00 GMT</pubDate><description>Old.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Energy Daily</title>
<entry><title>Grid warning</title><link href="{url}/grid"/>
<updated>2026-03-11T09:00:00Z</updated><summary>Short teaser.</summary></entry>
</feed>"""

FULL = " ".join(["<p>Fisheries negotiators from Norland and Sudmark failed on Thursday to agree "
                 "on cod quotas for the shared Kelby harbour, extending a long dispute.</p>"] * 8)


def test_rss_full_text_entries_are_used_and_links_fetched(server, tmp_path):
    feed = tmp_path / "wire.xml"
    feed.write_text(RSS.format(url=server.url, full=FULL))
    server.queue(Reply(raw=PAGE, headers=HTML))  # the grid entry's link
    # the feed is a local file: its links are a third party's, so the test server is named
    loaded = load([feed], filters=Filters(since=__import__("datetime").date(2026, 3, 10)),
                  allow_hosts=[server.url.removeprefix("http://")])
    titles = [a.title for a in loaded.articles]
    assert titles == ["Harbour talks collapse", "Grid warning"]  # old entry filtered out
    assert loaded.articles[0].date == "2026-03-12"
    assert "Kelby harbour" in loaded.articles[0].text
    assert [r.path for r in server.requests] == ["/grid"]  # full-text entry not fetched


def test_atom_feed_from_a_url(server):
    server.queue(Reply(raw=ATOM.format(url=server.url).encode(),
                       headers={"content-type": "application/atom+xml"}),
                 Reply(raw=PAGE, headers=HTML))
    loaded = load([f"{server.url}/feed.atom"])
    (article,) = loaded.articles
    assert article.title == "Grid warning" and article.url == f"{server.url}/grid"


def test_date_filter_takes_one_day(server, tmp_path):
    import datetime

    feed = tmp_path / "wire.xml"
    feed.write_text(RSS.format(url=server.url, full=FULL))
    loaded = load([feed], filters=Filters(on=datetime.date(2026, 3, 12)))
    assert [a.title for a in loaded.articles] == ["Harbour talks collapse"]


def test_malformed_feed_is_a_clean_failure(tmp_path):
    feed = tmp_path / "bad.xml"
    feed.write_text("<rss><channel><item><title>broken")
    loaded = load([feed])
    assert loaded.articles == [] and "feed" in str(loaded.failures[0])


def test_huge_feed_is_bounded(tmp_path):
    from briefer.ingest import feeds

    items = "".join(
        f"<item><title>t{n}</title><description><![CDATA[{FULL}]]></description>"
        f"<pubDate>Thu, 12 Mar 2026 09:{n % 60:02d}:00 GMT</pubDate></item>"
        for n in range(feeds.MAX_ENTRIES + 50))
    feed = tmp_path / "big.xml"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
    loaded = load([feed])
    assert len(loaded.articles) == feeds.MAX_ENTRIES
    assert "50 older entries left out" in str(loaded.failures[0])
