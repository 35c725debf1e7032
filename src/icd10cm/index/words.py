"""Words of search text: case- and accent-folded, lightly stemmed, linking words dropped.

``"Fractures of the lower end"`` and ``"fracture lower END"`` give the same
words. The stemmer only strips common English inflections (plurals, ``-ed``,
``-ing``, a final ``e``) so that *fracture*, *fractures* and *fractured* meet;
it is applied the same way to the entries searched and to the query.
"""

from __future__ import annotations

import re
import unicodedata

from icd10cm.core import caches

__all__ = [
    "STOPWORDS", "clear", "fold", "fold_spaced", "query_words", "stem", "strip_accents", "words",
]

#: Linking words that carry no meaning for finding a term; never required to match.
STOPWORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "nec", "nos",
))
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_stems: dict[str, str] = {}  # a memo of stem(), bounded by the data's vocabulary


@caches.register
def clear() -> None:
    """Forget the stems worked out so far."""
    _stems.clear()


def strip_accents(text: str) -> str:
    """``"Sézary"`` -> ``"Sezary"`` (compatibility-decomposed, combining marks dropped)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case without accents: ``"Sézary"`` -> ``"sezary"``."""
    return strip_accents(text.lower())


def fold_spaced(text: str) -> str:
    """:func:`fold` with each run of white space one space, none at the ends:
    ``" Sézary  disease"`` -> ``"sezary disease"``."""
    return " ".join(fold(text).split())


def _stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ae") or (word.endswith("s") and not word.endswith(("ss", "us", "is"))):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def stem(word: str) -> str:
    """The stem of one folded word: ``"fractures"`` and ``"fractured"`` -> ``"fractur"``."""
    found = _stems.get(word)
    if found is None:
        found = _stem(word)
        if len(_stems) < 200_000:  # the vocabulary of the data is ~30,000 words
            _stems[word] = found
    return found


def words(text: str) -> list[str]:
    """The stems of the words of *text*, in order, without linking words (repeats kept)."""
    folded = _POSSESSIVE.sub("", fold(text))
    get = _stems.get
    out = []
    for word in _WORD.findall(folded):
        if word in STOPWORDS:
            continue
        found = get(word)
        out.append(found if found is not None else stem(word))
    return out


def query_words(text: str) -> dict[str, str]:
    """The distinct stems of *text*, in order, each with the first word that gave it."""
    folded = _POSSESSIVE.sub("", fold(text))
    found: dict[str, str] = {}
    for word in _WORD.findall(folded):
        if word not in STOPWORDS:
            found.setdefault(stem(word), word)
    return found
