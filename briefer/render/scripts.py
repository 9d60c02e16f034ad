"""Word needs to be told about right-to-left and east-asian text; browsers do not.

:func:`mark` walks a rendered memo: a paragraph written mostly in a right-to-left script
(Arabic, Hebrew, Persian...) becomes a right-to-left paragraph (``w:bidi``), and each run
holding such letters is marked ``w:rtl`` with a complex-script font and language; a run
holding Chinese, Japanese or Korean gets an east-asian font hint and language, so Word and
LibreOffice pick a font with those glyphs instead of drawing boxes. Paragraphs of Latin
text are left exactly as they were (an English memo is byte-for-byte unchanged).
"""

from __future__ import annotations

import re
from typing import Any

LRM = "\u200e"
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
_HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

#: fonts Word has for each script; LibreOffice maps them to what the system has (Noto...)
EAST_ASIAN = {"zh": ("SimSun", "zh-CN"), "ja": ("MS Mincho", "ja-JP"),
              "ko": ("Batang", "ko-KR")}
COMPLEX = {"ar": ("Arial", "ar-SA"), "he": ("Arial", "he-IL")}

# Child order of w:pPr and w:rPr in the OOXML schema (Word rejects other orders).
_PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
        "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
        "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
_RPR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
        "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
        "specVanish oMath").split()


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


def _child(parent: Any, tag: str, order: list[str]) -> Any:
    """``parent``'s ``w:tag`` child, created in its schema position when missing."""
    from docx.oxml import OxmlElement

    found = parent.find(_qn(tag))
    if found is not None:
        return found
    element = OxmlElement(f"w:{tag}")
    later = set(order[order.index(tag) + 1 :])
    for n, sibling in enumerate(parent):
        local = sibling.tag.rsplit("}", 1)[-1]
        if local in later:
            parent.insert(n, element)
            return element
    parent.append(element)
    return element


def _props(owner: Any, tag: str) -> Any:
    """``w:pPr`` of a paragraph or ``w:rPr`` of a run (always the first child)."""
    from docx.oxml import OxmlElement

    found = owner.find(_qn(tag))
    if found is None:
        found = OxmlElement(f"w:{tag}")
        owner.insert(0, found)
    return found


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_qn("t")))


def east_asian(text: str) -> str | None:
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh" if _HAN.search(text) else None


def mark(document: Any) -> None:
    """Mark right-to-left paragraphs and runs, and east-asian runs, of a python-docx
    Document (body, tables included)."""
    for p in document.element.body.iter(_qn("p")):
        text = _text(p)
        if text.isascii():
            continue
        letters = [c for c in text if c.isalpha()]
        rtl = sum(1 for c in letters if _RTL.match(c))
        right_to_left = bool(letters) and rtl * 2 >= len(letters)
        if right_to_left:
            _child(_props(p, "pPr"), "bidi", _PPR)
        for run in p.iter(_qn("r")):
            run_text = _text(run)
            _mark_run(run, run_text)
            if right_to_left and run_text.strip() and not _RTL.search(run_text):
                _left_to_right(run)


def _left_to_right(run: Any) -> None:
    """Citation marks ("[1][2]") and other Latin runs in a right-to-left paragraph: left-
    to-right marks around them keep their brackets and digits in order."""
    texts = list(run.iter(_qn("t")))
    texts[0].text = LRM + (texts[0].text or "")
    texts[-1].text = (texts[-1].text or "") + LRM


def _mark_run(run: Any, text: str) -> None:
    if not text or text.isascii():
        return
    if _RTL.search(text):
        font, lang = COMPLEX["he" if _HEBREW.search(text) else "ar"]
        rpr = _props(run, "rPr")
        _child(rpr, "rFonts", _RPR).set(_qn("cs"), font)
        _child(rpr, "rtl", _RPR)
        _child(rpr, "lang", _RPR).set(_qn("bidi"), lang)
    code = east_asian(text)
    if code:
        font, lang = EAST_ASIAN[code]
        rpr = _props(run, "rPr")
        fonts = _child(rpr, "rFonts", _RPR)
        fonts.set(_qn("eastAsia"), font)
        fonts.set(_qn("hint"), "eastAsia")
        _child(rpr, "lang", _RPR).set(_qn("eastAsia"), lang)


__all__ = ["COMPLEX", "EAST_ASIAN", "east_asian", "mark"]
