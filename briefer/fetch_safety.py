"""Fetch safety (SSRF): where a third party (a feed, a redirect, a link) may send briefer.
Used through :mod:`briefer.safety`, which re-exports it."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

_METADATA = frozenset({ipaddress.ip_address("169.254.169.254"),
                       ipaddress.ip_address("fd00:ec2::254")})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_BENCHMARK = ipaddress.ip_network("198.18.0.0/15")


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why briefer may not connect to ``ip`` on a third party's word; None when public."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            mapped = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if mapped is not None:
            inner = address_problem(mapped)
            return f"{inner} (IPv4-mapped)" if inner else None
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and (ip in _CGNAT or ip in _BENCHMARK):
        return "a shared (CGNAT) or benchmarking address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


def host_port(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, port or (443 if parts.scheme == "https" else 80)


def allowed(url: str, allow_hosts: Iterable[str]) -> bool:
    """True when ``allow_hosts`` names the URL's host (or host:port)."""
    host, port = host_port(url)
    for entry in allow_hosts:
        entry = entry.strip().lower().rstrip(".")
        if entry.startswith("[") and "]" in entry:  # [::1]:8080
            name, _, rest = entry[1:].partition("]")
            if name == host and (not rest or rest == f":{port}"):
                return True
            continue
        name, sep, want = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if sep:
            if name == host and want == str(port):
                return True
        elif entry == host:
            return True
    return False


def resolve(url: str) -> list[tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address]]:
    """(address as given to connect(), parsed address) for every address the host has."""
    from briefer.errors import InputError

    host, port = host_port(url)
    if not host:
        raise InputError(url, "refused: the URL names no host")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(url, f"cannot resolve {host} ({exc})") from exc
    out = []
    for info in infos:
        raw = str(info[4][0])
        out.append((raw, ipaddress.ip_address(raw.split("%", 1)[0])))
    return out


def check_url(url: str, *, allow_hosts: Iterable[str] = ()) -> None:
    """Refuse (``InputError``) a URL a third party gave us that resolves to an internal
    address: loopback, private, link-local (cloud metadata), multicast, unspecified,
    reserved or CGNAT, IPv4-mapped forms included. Checked on every address the host
    resolves to; ``allow_hosts`` (host or host:port) lifts the check for named hosts."""
    from urllib.parse import urlsplit

    from briefer.errors import InputError

    if urlsplit(url).scheme not in ("http", "https"):
        raise InputError(url, "refused: only http and https URLs are fetched")
    allow = list(allow_hosts)
    if allow and allowed(url, allow):
        return
    for _raw, ip in resolve(url):
        problem = address_problem(ip)
        if problem:
            host, _ = host_port(url)
            raise InputError(url, f"refused: {host} resolves to {problem} {ip} (a feed, link "
                                  "or redirect may not send briefer to internal addresses; "
                                  "allow it with allow_hosts)")


__all__ = ["address_problem", "allowed", "check_url", "host_port", "resolve"]
