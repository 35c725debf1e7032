"""Common clinical abbreviations that :func:`icd10cm.search` expands to words.

The Alphabetic Index has a few abbreviations of its own ("GERD", "COPD" in an
inclusion term, "Flu - see also Influenza"), but not the ones clinicians type
most: "UTI", "AFib", "CHF", "HTN". :data:`ABBREVIATIONS` maps each of a small,
hand-curated set of unambiguous abbreviations to the words it stands for, never
to a code: search runs the words through the release's own index and Tabular
List, so the codes follow each release. Only whole words of the query are
expanded, whatever their case; an abbreviation of one word that an entry searched
has ("GERD" in the index, "CKD" in a title) is searched as itself, unless no entry
has exactly the words of the query with it and its words do better ("ckd stage 3",
"htn with ckd": see :func:`icd10cm.search`).
A spelling of several words ("A-fib", "A fib", "DM 2") is always expanded: the
index has no such word, and "a" alone is a linking word.

:data:`LEFT_OUT` lists abbreviations left out because they stand for several
things ("PE": pulmonary embolism, pleural effusion, physical examination); they
are searched as typed. docs/search.md ("Clinical abbreviations") says how to
propose additions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from icd10cm.index.words import fold, stem

__all__ = ["ABBREVIATIONS", "LEFT_OUT", "Expansion", "expand"]

#: Abbreviation, as usually written -> the words it stands for. Spellings with a
#: hyphen or a space ("A-fib", "A fib") are whole words of the query in a row.
ABBREVIATIONS: Mapping[str, str] = MappingProxyType({
    # heart and vessels
    "AFib": "atrial fibrillation",
    "A-fib": "atrial fibrillation",
    "AFlutter": "atrial flutter",
    "A-flutter": "atrial flutter",
    "VFib": "ventricular fibrillation",
    "V-fib": "ventricular fibrillation",
    "SVT": "supraventricular tachycardia",
    "PVC": "premature ventricular contraction",
    "CHF": "congestive heart failure",
    "HF": "heart failure",
    "HTN": "hypertension",
    "CAD": "coronary artery disease",
    "MI": "myocardial infarction",
    "AMI": "acute myocardial infarction",
    "CVA": "cerebrovascular accident",
    "SAH": "subarachnoid hemorrhage",
    "SDH": "subdural hemorrhage",
    "DVT": "deep vein thrombosis",
    "PVD": "peripheral vascular disease",
    "AAA": "abdominal aortic aneurysm",
    "PAH": "pulmonary arterial hypertension",
    "PDA": "patent ductus arteriosus",
    "PFO": "patent foramen ovale",
    "HLD": "hyperlipidemia",
    # lungs and infections
    "COPD": "chronic obstructive pulmonary disease",
    "OSA": "obstructive sleep apnea",
    "ARDS": "acute respiratory distress syndrome",
    "ILD": "interstitial lung disease",
    "PNA": "pneumonia",
    "URI": "upper respiratory infection",
    "URTI": "upper respiratory tract infection",
    "LRTI": "lower respiratory tract infection",
    "SOB": "shortness of breath",
    "UTI": "urinary tract infection",
    "STD": "sexually transmitted disease",
    "HCV": "hepatitis C",
    "HBV": "hepatitis B",
    "HSV": "herpes simplex",
    "CMV": "cytomegalovirus",
    # kidneys, digestion, metabolism
    "CKD": "chronic kidney disease",
    "ESRD": "end stage renal disease",
    "AKI": "acute kidney injury",
    "BPH": "benign prostatic hyperplasia",
    "GERD": "gastro-esophageal reflux disease",  # as the Tabular List spells it
    "PUD": "peptic ulcer disease",
    "IBS": "irritable bowel syndrome",
    "UC": "ulcerative colitis",
    "NAFLD": "nonalcoholic fatty liver disease",
    "T2DM": "type 2 diabetes mellitus",
    "DM2": "type 2 diabetes mellitus",
    "DM 2": "type 2 diabetes mellitus",
    "T1DM": "type 1 diabetes mellitus",
    "DM1": "type 1 diabetes mellitus",
    "DM 1": "type 1 diabetes mellitus",
    "DKA": "diabetic ketoacidosis",
    "HUS": "hemolytic uremic syndrome",
    "ITP": "immune thrombocytopenic purpura",
    # nervous system, mind, joints
    "ALS": "amyotrophic lateral sclerosis",
    "RLS": "restless legs syndrome",
    "OA": "osteoarthritis",
    "LBP": "low back pain",
    "ADHD": "attention-deficit hyperactivity disorder",
    "OCD": "obsessive-compulsive disorder",
    "GAD": "generalized anxiety disorder",
    "MDD": "major depressive disorder",
    # neoplasms
    "BCC": "basal cell carcinoma",
    "HCC": "hepatocellular carcinoma",
    "CML": "chronic myeloid leukemia",
})

#: Abbreviations not expanded because they stand for several things -> what they may
#: stand for. They are searched as typed.
LEFT_OUT: Mapping[str, str] = MappingProxyType({
    "PE": "pulmonary embolism; pleural effusion; physical examination",
    "MS": "multiple sclerosis; mitral stenosis; morphine sulfate",
    "RA": "rheumatoid arthritis; right atrium; room air",
    "CP": "chest pain; cerebral palsy",
    "DM": "diabetes mellitus; dermatomyositis",
    "AF": "atrial fibrillation; atrial flutter",
    "BPD": "borderline personality disorder; bronchopulmonary dysplasia",
    "ASD": "atrial septal defect; autism spectrum disorder",
    "PTX": "pneumothorax; parathyroidectomy",
    "ED": "erectile dysfunction; eating disorder; emergency department",
    "GBS": "Guillain-Barre syndrome; group B streptococcus",
    "SCC": "squamous cell carcinoma of any site (the Tabular List's titles name the skin)",
    "CA": "cancer; carcinoma; calcium",
    "STI": "sexually transmitted infection, which the index has only under chlamydia",
    "LVH": "left ventricular hypertrophy, which the index has only as 'Hypertrophy, "
           "cardiac'",
    "ICH": "intracerebral hemorrhage; intracranial hemorrhage",
    "AMS": "altered mental status; acute mountain sickness",
})

_TOKEN = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_POSSESSIVE.sub("", fold(text))))


# the words of each abbreviation (("a", "fib") for "A-fib") -> the abbreviation
_BY_TOKENS: Mapping[tuple[str, ...], str] = MappingProxyType(
    {_tokens(name): name for name in ABBREVIATIONS})
_LONGEST = max(map(len, _BY_TOKENS))
_FIRST = frozenset(tokens[0] for tokens in _BY_TOKENS)


@attrs.frozen
class Expansion:
    """An abbreviation of the query that search replaced by the words it stands for.

    *abbreviation* is as :data:`ABBREVIATIONS` writes it, *words* what it stands for.
    Its text says that the words are icd10cm's, not the index's.
    """

    abbreviation: str
    words: str

    def __str__(self) -> str:
        return (f"{self.abbreviation} = {self.words} (common abbreviation, searched as "
                "these words; not the index's wording)")


def _expands(tokens: tuple[str, ...], knows: Callable[[str], bool], known_too: bool) -> bool:
    """Whether the abbreviation written *tokens* is expanded: a spelling of several
    words ("A-fib", "DM 2") always, one word only if the release does not know it
    (or *known_too*)."""
    return len(tokens) > 1 or known_too or not knows(stem(tokens[0]))


def expand(text: str, knows: Callable[[str], bool], *, known_too: bool = False
           ) -> tuple[str, tuple[Expansion, ...]]:
    """*text* with each abbreviation of :data:`ABBREVIATIONS` that is whole words of it
    (the longest first) replaced by its words, unless it is one word that *knows* (a
    stem -> whether the entries searched have it) knows and not *known_too*; and what
    was replaced. Text without such an abbreviation is given back as it is, with no
    expansions."""
    tokens = _tokens(text)
    if _FIRST.isdisjoint(tokens):
        return text, ()
    out: list[str] = []
    found: dict[str, Expansion] = {}
    at = 0
    while at < len(tokens):
        for length in range(min(_LONGEST, len(tokens) - at), 0, -1):
            name = _BY_TOKENS.get(tokens[at:at + length])
            if name is not None and _expands(tokens[at:at + length], knows, known_too):
                found.setdefault(name, Expansion(name, ABBREVIATIONS[name]))
                out.append(ABBREVIATIONS[name])
                at += length
                break
        else:
            out.append(tokens[at])
            at += 1
    if not found:
        return text, ()
    return " ".join(out), tuple(found.values())
