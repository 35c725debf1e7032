"""Present-on-admission indicators of an inpatient stay (Guidelines Appendix I).

Appendix I: every diagnosis of a stay takes an indicator, Y (yes), N (no), U
(documentation insufficient) or W (clinically undetermined), except the codes
on the POA-exempt list of the fiscal year, for which the field is left blank
("unreported/not used"; claims carry that as ``1``). The list is the release's
own, or the nearest release's, which the findings name
(:func:`icd10cm.poa_exempt_list`). A borrowed list cannot judge the codes that are
new since its release: their indicators are not checked, and a finding says so. Only
a stay whose indicators are given is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from icd10cm.encounters import facts as f
from icd10cm.encounters.analysis import Analysis
from icd10cm.encounters.encounter import PresentOnAdmission, Setting
from icd10cm.encounters.findings import Finding
from icd10cm.encounters.rules import Appliers
from icd10cm.releases.poa_exempt import PoaExemptList, poa_exempt_list

__all__ = ["APPLY"]

APPLY = Appliers()


def _indicators(a: Analysis) -> Iterator[
        tuple[int, PresentOnAdmission | None, str, PoaExemptList]]:
    """Each diagnosis of a stay whose indicators are given: its position, indicator,
    code and the POA-exempt list that applies; nothing for other encounters."""
    encounter = a.encounter
    indicators = encounter.present_on_admission
    if encounter.setting is not Setting.INPATIENT or indicators is None:
        return
    listed = poa_exempt_list(release=encounter.release)
    for position, indicator in enumerate(indicators):
        yield position, indicator, a.facts[position].value, listed


def _judged(a: Analysis) -> Iterator[
        tuple[int, PresentOnAdmission | None, str, PoaExemptList]]:
    """:func:`_indicators`, less the codes the list cannot judge (new since its release)."""
    for found in _indicators(a):
        if found[2] not in found[3].not_in_source:
            yield found


def _which(listed: PoaExemptList) -> str:
    return ("the POA-exempt list of ICD-10-CM " + listed.release if not listed.borrowed else
            f"the POA-exempt list of release {listed.source_release}, the nearest with one "
            f"(ICD-10-CM {listed.release} has none of its own)")


@APPLY("Appendix-I/poa-missing", needs=f.INPATIENT_POA)
def poa_missing(a: Analysis) -> Iterator[Finding]:
    for position, indicator, value, listed in _judged(a):
        if indicator is None and value not in listed:
            yield a.finding(
                "Appendix-I/poa-missing", (position,),
                f"{value} has no present-on-admission indicator; every diagnosis of a stay "
                f"takes Y, N, U or W unless it is on {_which(listed)} (Appendix I).",
                source_release=listed.source_release)


@APPLY("Appendix-I/poa-exempt-with-indicator", needs=f.INPATIENT_POA)
def poa_exempt_with_indicator(a: Analysis) -> Iterator[Finding]:
    for position, indicator, value, listed in _judged(a):
        if indicator not in (None, PresentOnAdmission.EXEMPT) and value in listed:
            yield a.finding(
                "Appendix-I/poa-exempt-with-indicator", (position,),
                f"{value} is on {_which(listed)}: its present-on-admission field is left "
                f"blank (1 on a claim), not {indicator.value} (Appendix I).",
                source_release=listed.source_release)


@APPLY("Appendix-I/poa-not-exempt", needs=f.INPATIENT_POA)
def poa_not_exempt(a: Analysis) -> Iterator[Finding]:
    for position, indicator, value, listed in _judged(a):
        if indicator is PresentOnAdmission.EXEMPT and value not in listed:
            yield a.finding(
                "Appendix-I/poa-not-exempt", (position,),
                f"{value} is reported as exempt from present-on-admission reporting (1), but "
                f"it is not on {_which(listed)}: report Y, N, U or W (Appendix I).",
                source_release=listed.source_release)


@APPLY("Appendix-I/poa-exempt-unknown", needs=f.INPATIENT_POA)
def poa_exempt_unknown(a: Analysis) -> Iterator[Finding]:
    for position, indicator, value, listed in _indicators(a):
        if value in listed.not_in_source:
            given = "a blank" if indicator is None else indicator.value
            yield a.finding(
                "Appendix-I/poa-exempt-unknown", (position,),
                f"{value} is not a code of release {listed.source_release}, whose POA-exempt "
                f"list is the nearest (ICD-10-CM {listed.release} has none of its own): that "
                f"list cannot say whether {value} is exempt, so its present-on-admission "
                f"indicator ({given}) is not checked. Check it against the CMS POA-exempt "
                f"list of ICD-10-CM {listed.release} (Appendix I).",
                source_release=listed.source_release)
