"""Which language an article is written in: an ISO 639-1 code, and its English name.

Two steps, so English briefs do not pay for a model:

1. Too little text to tell (fewer than ``MIN_LETTERS`` letters) is English, the engine's
   own language: a guess on a headline is worse than the default.
2. Latin-script text in which English function words ("the", "of", "and", "said"...) make
   up at least ``ENGLISH_SHARE`` of the words is English. Other languages almost never
   reach that share (3 of 7,400 three-sentence paragraphs in 74 languages, two of them
   Maori, which the model does not know either: bench/languages.py); a doubtful English
   text simply goes on to step 3, which also says English.
3. Everything else goes to py3langid (a naive Bayes model over byte n-grams, 97 languages,
   shipped inside its wheel; no download at run time). It is imported on first use and its
   model loads once per process (about half a second), so ``briefer --help`` and English
   briefs never load it. An answer below ``MIN_CONFIDENCE`` falls back to English.
"""

from __future__ import annotations

import re
import threading
from typing import Any

DEFAULT = "en"
MIN_LETTERS = 60
ENGLISH_SHARE = 0.12
MIN_CONFIDENCE = 0.5
_SAMPLE = 6000

#: ISO 639-1 code -> English name, for every language py3langid can answer
NAMES = {
    "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic",
    "as": "Assamese", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fo": "Faroese", "fr": "French", "ga": "Irish",
    "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "ht": "Haitian Creole", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "jv": "Javanese",
    "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean",
    "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish", "lo": "Lao",
    "lt": "Lithuanian", "lv": "Latvian", "mg": "Malagasy", "mk": "Macedonian",
    "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese",
    "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch", "nn": "Norwegian Nynorsk",
    "no": "Norwegian", "oc": "Occitan", "or": "Odia", "pa": "Punjabi", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "rw": "Kinyarwanda", "se": "Northern Sami", "si": "Sinhala", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "ug": "Uyghur", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "vo": "Volapük",
    "wa": "Walloon", "xh": "Xhosa", "zh": "Chinese", "zu": "Zulu",
    # also answered by the model (2-letter codes, or ISO 639-3 where 639-1 has none)
    "ba": "Bashkir", "fy": "Western Frisian", "gd": "Scottish Gaelic", "gn": "Guarani",
    "ha": "Hausa", "ig": "Igbo", "ki": "Kikuyu", "lg": "Ganda", "ln": "Lingala",
    "my": "Burmese", "om": "Oromo", "sa": "Sanskrit", "sn": "Shona", "so": "Somali",
    "st": "Sotho", "tg": "Tajik", "tk": "Turkmen", "tt": "Tatar", "uz": "Uzbek",
    "yo": "Yoruba", "ace": "Acehnese", "bcl": "Central Bikol", "crh": "Crimean Tatar",
    "ext": "Extremaduran", "fuv": "Nigerian Fulfulde", "gcf": "Guadeloupean Creole",
    "gcr": "Guianese Creole", "gom": "Konkani", "grc": "Ancient Greek", "guw": "Gun",
    "kab": "Kabyle", "lij": "Ligurian", "ltg": "Latgalian", "nso": "Northern Sotho",
    "pcm": "Nigerian Pidgin", "vec": "Venetian",
}
#: the model's codes for varieties, folded into the ISO 639-1 code of their language
_FOLD = {"arz": "ar", "ary": "ar", "yue": "zh", "wuu": "zh", "gug": "gn", "uzs": "uz",
         "sdh": "ku", "hbo": "he", "kik": "ki"}
#: Chinese, Japanese, Korean: fonts with east-asian glyphs
CJK = frozenset({"zh", "ja", "ko"})

# Function words that are common in English prose and rare as words of other languages
# ("a", "in", "on", "is", "as" are left out: they are words of Spanish, German, Dutch...).
_ENGLISH = frozenset(
    "the of and to that for with was were said have has had this which would from they "
    "their been will who its are by but not be it his she her we our".split())
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")

_lock = threading.Lock()
_identifier: Any = None


def name(code: str | None) -> str:
    """``"es"`` -> ``"Spanish"``; an unknown code is shown as it is."""
    return NAMES.get(code or DEFAULT, code or NAMES[DEFAULT])


def names(codes: list[str | None]) -> list[str]:
    """The distinct languages of ``codes`` in order of first appearance, by name."""
    seen: list[str] = []
    for code in codes:
        label = name(code)
        if label not in seen:
            seen.append(label)
    return seen


def english_share(text: str) -> float:
    """The share of words in ``text`` that are English function words."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(w in _ENGLISH for w in words) / len(words)


def detect(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in (``"en"`` when unsure)."""
    sample = text[:_SAMPLE]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < MIN_LETTERS:
        return DEFAULT
    latin = len(_LATIN.findall(sample))
    if latin >= 0.8 * letters and english_share(sample) >= ENGLISH_SHARE:
        return DEFAULT
    code, confidence = _model().classify(sample)
    code = _FOLD.get(str(code), str(code))
    if confidence < MIN_CONFIDENCE or code == "zxx":  # zxx: no linguistic content
        return DEFAULT
    return code


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


__all__ = ["CJK", "DEFAULT", "NAMES", "detect", "english_share", "name", "names"]
