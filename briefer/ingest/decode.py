"""Bytes to text: binary sniffing, BOMs, UTF-8 with a cp1252/latin-1 fallback."""

from __future__ import annotations

import codecs

from briefer.errors import InputError

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"OggS", "audio file"),
    (b"ID3", "audio file"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF = 8192


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF":
        return "RIFF media file"
    if b"\x00" in data[:_SNIFF]:
        return "binary data"
    return None


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`InputError` for binary or empty input."""
    if not data.strip():
        raise InputError(source, "empty or whitespace-only input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(source, f"invalid {encoding} text ({exc.reason})") from exc
    kind = _binary_kind(data)
    if kind:
        raise InputError(source, f"binary file ({kind}), not text")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    controls = sum(1 for ch in text[:_SNIFF] if ord(ch) < 32 and ch not in "\t\n\r\x0c")
    if controls > 0.05 * min(len(text), _SNIFF):
        raise InputError(source, "binary data (too many control characters), not text")
    return text, encoding
