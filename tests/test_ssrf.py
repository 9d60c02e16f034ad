"""No fetch where a third party should not send briefer (SSRF): feed links and redirects to
internal addresses are refused, checked after DNS resolution and again at connect time.
Local HTTP servers started by the test (SYNTHETIC pages); no network."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from briefer.errors import InputError
from briefer.ingest import feeds, web
from briefer.safety import address_problem, allowed, check_url
from tests.conftest import FIXTURES
from tests.fakeserver import FakeServer, Reply

PAGE = (FIXTURES / "page.html").read_bytes()
HTML = {"content-type": "text/html; charset=utf-8"}
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Energy Daily</title>
<entry><title>Grid warning</title><link href="{link}"/>
<updated>2026-03-11T09:00:00Z</updated><summary>Short teaser.</summary></entry>
</feed>"""


@pytest.fixture
def server():
    with FakeServer() as server:
        yield server


@pytest.fixture
def other():
    with FakeServer() as other:
        yield other


def host_port(server: FakeServer) -> str:
    return server.url.removeprefix("http://")


@pytest.fixture
def connects(monkeypatch):
    """Every address a socket connects to (on top of the no-network guard)."""
    seen: list[str] = []
    guarded = socket.socket.connect

    def record(self, address):
        seen.append(address[0] if isinstance(address, tuple) else address)
        return guarded(self, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    return seen


def feed_links(server: FakeServer, link: str) -> list[str]:
    server.queue(Reply(raw=ATOM.format(link=link).encode(),
                       headers={"content-type": "application/atom+xml"}))
    got = web.fetch(f"{server.url}/feed.atom", max_bytes=1_000_000)  # typed by the user
    entries, _ = feeds.parse(got.data, got.url)
    return [e.link for e in entries if e.link]


def test_a_feed_entry_linking_to_another_loopback_port_is_refused(server, other, connects):
    (link,) = feed_links(server, f"{other.url}/grid")
    with pytest.raises(InputError) as info:
        web.fetch(link, max_bytes=1_000_000, third_party=True)
    reason = info.value.reason
    assert "refused" in reason and "loopback address 127.0.0.1" in reason
    assert "allow_hosts" in reason
    assert other.requests == []
    assert connects.count("127.0.0.1") == 1  # the feed itself, never the entry


def test_allow_hosts_lets_a_named_host_port_through(server, other):
    (link,) = feed_links(server, f"{other.url}/grid")
    other.queue(Reply(raw=PAGE, headers=HTML))
    got = web.fetch(link, max_bytes=1_000_000, third_party=True,
                    allow_hosts=[host_port(other)])
    assert got.data == PAGE and [r.path for r in other.requests] == ["/grid"]


def test_allow_hosts_names_only_that_port(server, other):
    (link,) = feed_links(server, f"{other.url}/grid")
    with pytest.raises(InputError, match="loopback"):
        web.fetch(link, max_bytes=1_000_000, third_party=True,
                  allow_hosts=[host_port(server)])  # the feed's port, not the entry's


def test_a_redirect_to_cloud_metadata_is_refused_without_connecting(server, connects):
    server.queue(Reply(raw=b"", status=302,
                       headers={"location": "http://169.254.169.254/latest/meta-data/"}))
    with pytest.raises(InputError) as info:
        web.fetch(f"{server.url}/story", max_bytes=1_000_000, third_party=True,
                  allow_hosts=[host_port(server)])
    assert "redirect to http://169.254.169.254/latest/meta-data/" in str(info.value)
    assert "cloud metadata address 169.254.169.254" in str(info.value)
    assert "169.254.169.254" not in connects
    assert len(server.requests) == 1


def test_the_users_own_url_may_be_local_but_its_redirects_elsewhere_may_not(server, other):
    server.queue(Reply(raw=b"", status=302, headers={"location": f"{other.url}/moved"}))
    with pytest.raises(InputError, match=r"redirect to .* loopback"):
        web.fetch(f"{server.url}/start", max_bytes=1_000_000)
    assert other.requests == []
    # within the origin the user typed, redirects are followed as before
    server.queue(Reply(raw=b"", status=301, headers={"location": "/final"}),
                 Reply(raw=PAGE, headers=HTML))
    got = web.fetch(f"{server.url}/start", max_bytes=1_000_000)
    assert got.url == f"{server.url}/final"


def test_a_redirect_to_another_scheme_is_refused(server):
    server.queue(Reply(raw=b"", status=302, headers={"location": "file:///etc/passwd"}))
    with pytest.raises(InputError, match="only http and https"):
        web.fetch(f"{server.url}/x", max_bytes=1_000_000)


@pytest.mark.parametrize(("url", "what"), [
    ("http://[::1]/", "loopback address ::1"),
    ("http://[::ffff:127.0.0.1]:8080/", "loopback address (IPv4-mapped)"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata address (IPv4-mapped)"),
    ("http://[fd00:ec2::254]/latest", "cloud metadata address"),
    ("http://0.0.0.0:80/", "unspecified address"),
    ("http://127.1/", "loopback"),
])
def test_literal_internal_addresses_are_refused(url, what):
    with pytest.raises(InputError) as info:
        check_url(url)
    assert what in info.value.reason


def test_a_public_looking_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    calls = []

    def fake(host, port, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(InputError) as info:
        check_url("https://news.example.com/world/story")
    assert "news.example.com resolves to a private address 10.20.30.40" in str(info.value)
    assert calls == ["news.example.com"]
    check_url("https://news.example.com/world/story", allow_hosts=["news.example.com"])


def test_one_internal_address_among_several_is_enough_to_refuse(monkeypatch):
    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(InputError, match="loopback address ::1"):
        check_url("http://mixed.example.org/")


def test_dns_rebinding_between_check_and_connect_is_caught(monkeypatch, connects):
    """The name is public when checked and loopback when connecting: the connect-time check
    (on the address actually dialled) refuses it."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # behind a proxy, the proxy resolves names
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1", "127.0.0.1"])

    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(InputError, match="at connect time"):
        web.fetch("http://rebind.example.net:8080/a", max_bytes=1_000, third_party=True)
    assert connects == []


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.5.5.5", "10.0.0.1", "172.16.3.4", "192.168.1.1", "169.254.169.254",
    "169.254.1.1", "100.64.0.1", "100.127.255.254", "224.0.0.251", "0.0.0.0", "240.0.0.1",
    "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
    "ff02::1", "fd00:ec2::254", "::ffff:10.0.0.1", "::ffff:192.168.0.1", "64:ff9b::7f00:1",
    "2002:7f00:1::",
])
def test_internal_addresses(address):
    assert address_problem(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8", "100.128.0.1"])
def test_public_addresses(address):
    assert address_problem(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(("url", "hosts", "ok"), [
    ("http://intranet.local/x", ["intranet.local"], True),
    ("http://intranet.local:8080/x", ["intranet.local"], True),
    ("http://intranet.local:8080/x", ["intranet.local:8080"], True),
    ("http://intranet.local:8081/x", ["intranet.local:8080"], False),
    ("https://Intranet.Local./x", ["intranet.local"], True),
    ("http://intranet.local/x", ["intranet.local:80"], True),
    ("https://intranet.local/x", ["intranet.local:80"], False),
    ("http://[::1]:8080/x", ["[::1]:8080"], True),
    ("http://[::1]:8081/x", ["[::1]:8080"], False),
    ("http://[::1]/x", ["::1"], True),
    ("http://evil.example/x", ["example"], False),
])
def test_allow_hosts_entries(url, hosts, ok):
    assert allowed(url, hosts) is ok


def test_origin_is_what_allow_hosts_reads(server):
    assert web.origin(f"{server.url}/feed") == host_port(server)
    assert web.origin("https://[::1]/x") == "[::1]:443"
    assert allowed(f"{server.url}/x", [web.origin(f"{server.url}/feed")])
