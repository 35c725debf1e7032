"""Words of search text: case- and accent-folded, stemmed, linking words dropped.

``"Fractures of the lower end"`` and ``"fracture lower END"`` give the same
words. :func:`stem` is applied the same way to the entries searched (when the
data is built) and to the query, so that the word forms people type meet the
forms the index and the Tabular List print. Its rules, in order:

1. Irregular forms: ``fell`` and ``fallen`` -> ``fall``, ``bitten`` -> ``bite``,
   ``teeth`` -> ``tooth``, ... (:data:`IRREGULAR`).
2. Words of up to 3 letters and words with digits are kept as they are.
3. Plurals: ``-ies`` -> ``-y``, ``-sses`` -> ``-ss``, ``-ae`` -> ``-a``, a final
   ``-s`` dropped (not after ``s``, ``u`` or ``i``: *abscess*, *virus*, *arthritis*).
4. One suffix, the longest of :data:`SUFFIXES` that leaves a stem with a vowel
   and at least its minimum length: inflections (``-ing``, ``-ed``, ``-ated``),
   nouns (``-ion``, ``-ation``, ``-ity``, ``-ness``, ``-ancy`` -> ``-ant``),
   adjectives (``-ic``, ``-ical``, ``-ive``, ``-ous``, ``-ial``), and a final
   ``-y``, ``-a``, ``-ia`` or ``-e``. After ``-ity``, ``-ness``, ``-ism`` or
   ``-ment``, one more suffix may go (*toxicity* -> *toxic*).
5. A final doubled consonant other than ``l``, ``s`` or ``z`` is made single
   (*inflamm-ation* -> *inflam*).

So *diabetes* and *diabetic* meet (``diabet``), as do *fell*, *falls* and
*falling* (``fall``), *infection*, *infected* and *infective* (``infect``),
*hypertension* and *hypertensive*, *pregnancy* and *pregnant*, *ulcer* and
*ulcerated*. Like every stemmer it joins a few unrelated words (*personal* and
*personality*); ranking still prefers the entries that match best.
"""

from __future__ import annotations

import re
import unicodedata

from icd10cm.core import caches

__all__ = [
    "IRREGULAR", "STOPWORDS", "SUFFIXES", "clear", "fold", "fold_spaced", "fold_tight",
    "query_words", "stem", "strip_accents", "words",
]

#: Linking words that carry no meaning for finding a term; never required to match.
STOPWORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "nec", "nos",
))
#: Irregular forms -> the form whose stem they share.
IRREGULAR = {
    "fell": "fall", "fallen": "fall", "bled": "bleed", "bitten": "bite", "burnt": "burn",
    "children": "child", "feet": "foot", "teeth": "tooth", "women": "woman", "men": "man",
    "swollen": "swell", "struck": "strike", "stung": "sting", "eaten": "eat", "torn": "tear",
    "thrown": "throw", "threw": "throw", "lice": "louse", "mice": "mouse",
}
#: Suffix -> (replacement, the shortest stem it may leave).
SUFFIXES = {
    "ating": ("", 4), "ated": ("", 4), "ing": ("", 4), "ed": ("", 4),
    "iness": ("y", 3), "ness": ("", 4), "ity": ("", 4), "ment": ("", 4), "ism": ("", 4),
    "ally": ("", 4), "ful": ("", 4), "ancy": ("ant", 3), "ency": ("ent", 3),
    "ically": ("", 4), "ical": ("", 4), "atic": ("", 4), "ic": ("", 5),
    "ization": ("", 4), "ize": ("", 4), "ation": ("", 4), "ative": ("", 4), "atory": ("", 4),
    "ate": ("", 4), "ion": ("", 4), "ive": ("", 4), "ious": ("", 4), "ous": ("", 4),
    "itis": ("it", 4), "ial": ("", 6), "ia": ("", 6), "y": ("", 5), "a": ("", 5), "e": ("", 4),
}
_AGAIN = ("ity", "ness", "ism", "ment")  # nouns made from adjectives: one more suffix may go
_LONGEST = max(map(len, SUFFIXES))
_VOWELS = frozenset("aeiouy")
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_SPACE_AT_MARK = re.compile(r" ?([(),-]) ?")  # a space next to a parenthesis, comma or hyphen
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


def fold_tight(text: str) -> str:
    """:func:`fold_spaced` without the spaces next to a parenthesis, a comma or a hyphen,
    which titles are printed with and without (the official XML has no space before a
    ``<nemod>``, and the book prints ``Nodule(s), nodular``): ``"Nodule (s) , nodular"``
    and ``"Nodule(s), nodular"`` -> ``"nodule(s),nodular"``."""
    return _SPACE_AT_MARK.sub(r"\1", fold_spaced(text))


def _plural(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ae"):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _suffix(word: str) -> str:
    """*word* without its longest suffix of :data:`SUFFIXES` that may go."""
    for length in range(min(_LONGEST, len(word) - 1), 0, -1):
        rule = SUFFIXES.get(word[-length:])
        if rule is not None:
            replacement, shortest = rule
            base = word[:-length]
            if len(base) >= shortest and not _VOWELS.isdisjoint(base):
                return base + replacement
    return word


def _stem(word: str) -> str:
    word = IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _plural(word)
    stemmed = _suffix(word)
    if stemmed != word and word.endswith(_AGAIN):
        stemmed = _suffix(stemmed)
    if len(stemmed) > 4 and stemmed[-1] == stemmed[-2] and stemmed[-1] not in "aeiouylsz":
        stemmed = stemmed[:-1]
    return stemmed


def stem(word: str) -> str:
    """The stem of one folded word: ``"diabetes"`` and ``"diabetic"`` -> ``"diabet"``."""
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
