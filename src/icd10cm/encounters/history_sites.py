"""Which current malignancies a personal history code (Z85) is the history of (I.C.2.d).

Guidelines I.C.2.d: "When a primary malignancy has been previously excised or eradicated
from its site and there is no further treatment directed to that site and there is no
evidence of any existing primary malignancy at that site, a code from category Z85,
Personal history of malignant neoplasm, should be used to indicate the former site of the
malignancy."

Most Z85 codes name their malignancies in their own Tabular entry: "Conditions classifiable
to C50.-" at Z85.3. About thirty do not, in every release: the subcodes of Z85.4 (genital
organs), Z85.5 (urinary tract), Z85.81, Z85.83, Z85.84 and Z85.85 inherit the note of the
code above them ("Conditions classifiable to C51-C63" at Z85.4), which covers the sites of
all their siblings; Z85.00, Z85.09, Z85.20 and Z85.29 have no note at any level. For these,
:data:`SITES` gives the codes of the same site, matched by the Tabular List titles:
Z85.46 "Personal history of malignant neoplasm of prostate" is the history of C61
"Malignant neoplasm of prostate"; an "other" code is the history of the categories of its
group that no sibling names; an "unspecified" code of the codes for an unspecified site.
The sites of Z85.0- and Z85.2- lie in the blocks C15-C26 (digestive organs) and C30-C39
(respiratory and intrathoracic organs), which the Tabular List does not print as a note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from icd10cm.core.code import Code
from icd10cm.core.notes import Note, NoteKind
from icd10cm.core.references import CodeReference, parse_references

__all__ = ["SITES", "Coverage", "covered"]

#: The malignancies of each Z85 code without a "Conditions classifiable to" note of its own
#: (in some release), by the Tabular List titles (see the module's docstring).
SITES: Mapping[str, str] = MappingProxyType({
    # Z85.0 Personal history of malignant neoplasm of digestive organs (C15-C26)
    "Z85.00": "C26.0, C26.9",  # unspecified digestive organ: intestinal tract, part
    # unspecified; ill-defined sites within the digestive system
    "Z85.09": "C23-C24, C26.1",  # other digestive organs: gallbladder, biliary tract, spleen
    # Z85.2 ... of other respiratory and intrathoracic organs (C30-C39)
    "Z85.20": "C39",  # unspecified respiratory organ: ill-defined sites, respiratory system
    "Z85.29": "C38",  # other respiratory and intrathoracic organs: heart, mediastinum, pleura
    # Z85.4 ... of genital organs: "Conditions classifiable to C51-C63"
    "Z85.40": "C57.9",  # unspecified female genital organ
    "Z85.41": "C53",  # cervix uteri
    "Z85.42": "C54-C55",  # other parts of uterus: corpus uteri; uterus, part unspecified
    "Z85.43": "C56",  # ovary
    "Z85.44": "C51-C52, C57.1-C57.8, C58",  # other female genital organs (and C57.0, the
    # fallopian tube, in releases without Z85.4A: see _UNTIL)
    "Z85.45": "C63.9",  # unspecified male genital organ
    "Z85.46": "C61",  # prostate
    "Z85.47": "C62",  # testis
    "Z85.48": "C63.0",  # epididymis
    "Z85.49": "C60, C63.1-C63.8",  # other male genital organs: penis, spermatic cord, ...
    "Z85.4A": "C57.0",  # fallopian tube(s) (FY2026)
    # Z85.5 ... of urinary tract: "Conditions classifiable to C64-C68"
    "Z85.50": "C68.9",  # unspecified urinary tract organ
    "Z85.51": "C67",  # bladder
    "Z85.53": "C65",  # renal pelvis
    "Z85.54": "C66",  # ureter
    "Z85.59": "C68.0-C68.8",  # other urinary tract organ: urethra, paraurethral glands
    # Z85.81 ... of lip, oral cavity, and pharynx: "Conditions classifiable to C00-C14"
    "Z85.810": "C01-C02",  # tongue
    "Z85.818": "C00, C03-C05, C06.0-C06.8, C07-C13, C14.2-C14.8",  # other sites
    "Z85.819": "C06.9, C14.0",  # unspecified site: mouth, pharynx
    # Z85.83 ... of bone and soft tissue: "Conditions classifiable to C40-C41; C45-C49"
    "Z85.830": "C40-C41",  # bone
    "Z85.831": "C45-C49",  # soft tissue
    # Z85.84 ... of eye and nervous tissue: "Conditions classifiable to C69-C72"
    "Z85.840": "C69",  # eye
    "Z85.841": "C71",  # brain
    "Z85.848": "C70, C72",  # other parts of nervous tissue: meninges, spinal cord, ...
    # Z85.85 ... of endocrine glands: "Conditions classifiable to C73-C75"
    "Z85.850": "C73",  # thyroid
    "Z85.858": "C74-C75",  # other endocrine glands
    # Z85.89 ... of other organs and systems: its own note from FY2021 on, the same words
    "Z85.89": "C7A.098, C76, C77-C79",
})

#: Sites a code covers only while the release lacks the code that later took them over.
_UNTIL: Mapping[str, tuple[str, str]] = MappingProxyType({"Z85.44": ("Z85.4A", "C57.0")})

_CLASSIFIABLE = re.compile(r"^conditions classifiable to (.+)$", re.I)


def _classifiable(code: Code, *, own_data_only: bool
                  ) -> tuple[Note, tuple[CodeReference, ...]] | None:
    """The code's own "Conditions classifiable to" note and its references, if any."""
    for note in code.release.notes_at(code, own_data_only=own_data_only):
        match = _CLASSIFIABLE.match(note.text.strip())
        if match and note.kind is NoteKind.INCLUSION_TERM:
            references = parse_references(f"({match.group(1)})").references
            if references:
                return note, references
    return None


class Coverage(NamedTuple):
    """The malignancies a Z85 code is the history of, and the note that names them."""

    references: tuple[CodeReference, ...]
    #: The code's own "Conditions classifiable to" note; for a code of :data:`SITES`, the
    #: nearest such note above it (whose range its sites narrow), or None if there is none.
    note: Note | None
    #: Whether the sites are those of :data:`SITES` rather than the code's own note.
    by_title: bool


def covered(code: Code, *, own_data_only: bool = False) -> Coverage | None:
    """The malignancies a Z85 code is the history of: those its own "Conditions
    classifiable to" note names, or else those of :data:`SITES` (by the Tabular titles,
    which every release has, so these hold with *own_data_only* too). None for a code
    neither names.
    """
    own = _classifiable(code, own_data_only=own_data_only)
    if own is not None:
        return Coverage(own[1], own[0], by_title=False)
    sites = SITES.get(code.value)
    if sites is None:
        return None
    release = code.release
    later = _UNTIL.get(code.value)
    if later is not None and release.get(later[0]) is None:
        sites = f"{sites}, {later[1]}"
    references = parse_references(f"({sites})").references
    note = None
    for above in reversed(release.ancestors_of(code.index)):
        found = _classifiable(above, own_data_only=own_data_only)
        if found is not None:
            note = found[0]
            break
    return Coverage(references, note, by_title=True)
