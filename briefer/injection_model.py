"""The learned component of injection detection: a logistic regression over hashed word,
word-pair and character 4-gram features of a sentence, trained by
``scripts/train_injection_model.py`` on public injection suites against news sentences (which
data did what: ``bench/data/injection/README.md``). Plain Python at run time: the weights are
a zlib-compressed int8 array in ``briefer/data/injection_model.bin``, read on first use; without
that file :func:`model_probability` is 0.0 and the rules of :mod:`briefer.safety` work alone.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from array import array
from pathlib import Path
from zlib import crc32

MODEL_PATH = Path(__file__).resolve().parent / "data" / "injection_model.bin"
_FEATURE_WORDS = re.compile(r"[a-z]+|[0-9]+")
_MODEL: tuple[array[int], float, float, int] | None = None
_GRAMS: dict[str, tuple[int, ...]] = {}


def features(sentence: str, bits: int = 18) -> set[int]:
    """Hashed feature indices of one sentence (shared by training and inference): each word,
    each pair of neighbouring words, the first word, and each character 4-gram of a word."""
    mask = (1 << bits) - 1
    words = _FEATURE_WORDS.findall(sentence.lower())[:80]
    out: set[int] = set()
    prev = 0x5BD1E995
    first: int | None = None
    for word in words:
        if word[0].isdigit():
            word = "0"
        grams = _GRAMS.get(word)
        if grams is None:
            padded = f"<{word}>"
            grams = (crc32(word.encode()), *(
                crc32(("c" + padded[i:i + 4]).encode()) & mask
                for i in range(max(1, len(padded) - 3))))
            if len(_GRAMS) < 50000:
                _GRAMS[word] = grams
        own = grams[0]
        out.update(grams[1:])
        out.add(own & mask)
        out.add(((prev * 0x9E3779B1) ^ own) & mask)
        prev = own
        if first is None:
            first = own
            out.add((own ^ 0x165667B1) & mask)
    return out


def _load_model() -> tuple[array[int], float, float, int] | None:
    global _MODEL
    if _MODEL is None:
        try:
            raw = zlib.decompress(MODEL_PATH.read_bytes())
        except OSError:
            return None
        header, _, body = raw.partition(b"\n")
        meta = json.loads(header)
        weights = array("b")
        weights.frombytes(body)
        _MODEL = (weights, float(meta["scale"]), float(meta["bias"]), int(meta["bits"]))
    return _MODEL


def model_probability(sentence: str) -> float:
    """Probability the learned component gives that ``sentence`` is an injection (0.0 when
    the weights are not installed)."""
    model = _load_model()
    if model is None:
        return 0.0
    weights, scale, bias, bits = model
    z = bias + scale * sum(weights[i] for i in features(sentence, bits))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


__all__ = ["MODEL_PATH", "features", "model_probability"]
