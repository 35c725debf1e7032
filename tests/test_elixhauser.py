"""icd10cm.elixhauser: the AHRQ CMR mapping and index programs, release by release.

The expected measures are worked out by hand from the official programs: each code's
label in the format program (``$COMFMT``), what the mapping program sets for that label
and when (POA-neutral, or only present on admission / POA-exempt), the exempt lists
(``$POAXMPT_VnnFMT``), the hierarchies and the CBVD rule. The weights are copied by hand
from the index programs (``mwX = n ;`` and ``rwX = n ;``).
"""

from __future__ import annotations

import pytest

import icd10cm
from icd10cm import ComorbidityError, Encounter, elixhauser

# CMR_Index_Program_v2025-1.sas (and v2023-1, identical): mwX = n ;
MORTALITY_2025 = {
    "AIDS": -4, "ALCOHOL": -1, "ANEMDEF": -3, "AUTOIMMUNE": 0, "BLDLOSS": -4,
    "CANCER_LEUK": 9, "CANCER_LYMPH": 5, "CANCER_METS": 22, "CANCER_NSITU": 0,
    "CANCER_SOLID": 10, "CBVD": 5, "HF": 14, "COAG": 14, "DEMENTIA": 5, "DEPRESS": -8,
    "DIAB_CX": -2, "DIAB_UNCX": 0, "DRUG_ABUSE": -7, "HTN_CX": 1, "HTN_UNCX": 0,
    "LIVER_MLD": 2, "LIVER_SEV": 16, "LUNG_CHRONIC": 2, "NEURO_MOVT": -1, "NEURO_OTH": 22,
    "NEURO_SEIZ": 2, "OBESE": -7, "PARALYSIS": 4, "PERIVASC": 3, "PSYCHOSES": -9,
    "PULMCIRC": 4, "RENLFL_MOD": 3, "RENLFL_SEV": 7, "THYROID_HYPO": -3, "THYROID_OTH": -8,
    "ULCER_PEPTIC": 0, "VALVE": 0, "WGHTLOSS": 13,
}
# CMR_Index_Program_v2022-1.sas: the ten mortality weights that differ from v2023.1
MORTALITY_2022 = {
    **MORTALITY_2025, "AUTOIMMUNE": -1, "CANCER_LYMPH": 6, "CANCER_METS": 23, "HF": 15,
    "COAG": 15, "DEPRESS": -9, "LIVER_SEV": 17, "NEURO_OTH": 23, "RENLFL_SEV": 8,
    "WGHTLOSS": 14,
}
# rwX = n ; identical in the three index programs
READMISSION = {
    "AIDS": 5, "ALCOHOL": 3, "ANEMDEF": 5, "AUTOIMMUNE": 2, "BLDLOSS": 2, "CANCER_LEUK": 10,
    "CANCER_LYMPH": 7, "CANCER_METS": 11, "CANCER_NSITU": 0, "CANCER_SOLID": 7, "CBVD": 0,
    "HF": 7, "COAG": 3, "DEMENTIA": 1, "DEPRESS": 2, "DIAB_CX": 4, "DIAB_UNCX": 0,
    "DRUG_ABUSE": 6, "HTN_CX": 0, "HTN_UNCX": 0, "LIVER_MLD": 3, "LIVER_SEV": 10,
    "LUNG_CHRONIC": 4, "NEURO_MOVT": 1, "NEURO_OTH": 2, "NEURO_SEIZ": 5, "OBESE": -2,
    "PARALYSIS": 3, "PERIVASC": 1, "PSYCHOSES": 6, "PULMCIRC": 3, "RENLFL_MOD": 4,
    "RENLFL_SEV": 8, "THYROID_HYPO": 0, "THYROID_OTH": 0, "ULCER_PEPTIC": 2, "VALVE": 0,
    "WGHTLOSS": 6,
}

# (codes, POA indicators, the measures the program leaves). Labels from $COMFMT: E11.22
# DIAB_CX, E11.9 DIAB_UNCX, I10 HTN_UNCX, I12.9 HTN_CX, C78.00 CANCER_METS, C50.911
# CANCER_SOLID, D05.10 CANCER_NSITU, K70.30 LIVER_MLD, K72.10 LIVER_SEV, K70.10
# ALCOHOLLIVER_MLD, N18.9 RENLFL_MOD, N18.6 and Z99.2 RENLFL_SEV, I13.2
# HFHTN_CXRENLFL_SEV, I63.9 and G45.0 CBVD_POA, I69.351 CBVD_SQLAPARALYSIS, I69.398
# CBVD_SQLA, I50.9 HF, E66.01 OBESE, F20.0 PSYCHOSES, R64 WGHTLOSS, B20 AIDS, F32.9
# DEPRESS, J44.9 LUNG_CHRONIC. On every exempt list: I69.351, I69.398, Z99.2.
PATIENTS = [
    # hierarchies that need no POA data
    (["E11.22", "E11.9", "J44.9"], "YYY", {"DIAB_CX", "LUNG_CHRONIC"}),
    (["I10", "I12.9"], "YY", {"HTN_CX"}),
    (["C78.00", "C50.911", "D05.10"], "YYY", {"CANCER_METS"}),
    (["C50.911", "D05.10", "F32.9"], "YYN", {"CANCER_SOLID", "DEPRESS"}),  # DEPRESS: neutral
    # hierarchies among POA-dependent measures
    (["K70.30", "K72.10"], "YW", {"LIVER_SEV"}),
    (["K70.30", "K72.10"], "YN", {"LIVER_MLD"}),  # severe not present on admission
    (["N18.9", "N18.6"], "YY", {"RENLFL_SEV"}),
    (["N18.9", "Z99.2"], "YN", {"RENLFL_SEV"}),  # Z99.2 is exempt: its N does not matter
    # a compound label: its POA-neutral part counts whatever the POA
    (["I13.2"], "N", {"HTN_CX"}),
    (["I13.2", "I10"], "YY", {"HF", "HTN_CX", "RENLFL_SEV"}),
    (["K70.10"], "U", {"ALCOHOL"}),
    # CBVD: a sequela counts only if no cerebrovascular diagnosis arose during the stay
    (["I63.9", "I69.351"], "NN", {"PARALYSIS"}),
    (["I69.398"], "N", {"CBVD"}),  # exempt sequela
    (["G45.0", "I69.398"], "YN", {"CBVD"}),
    (["G45.0"], "U", set()),
    # POA-dependent measures need Y or W; the program never reads "1" (exempt) itself
    (["I50.9", "E66.01", "F20.0"], "NNU", {"OBESE"}),
    (["I50.9", "R64", "B20"], "WYN", {"HF", "WGHTLOSS", "AIDS"}),
    (["I50.9"], "1", set()),
]


@pytest.mark.parametrize(
    ("release", "version", "mortality"),
    [("2022", "v2022.1", MORTALITY_2022), ("2023", "v2023.1", MORTALITY_2025),
     ("2025", "v2025.1", MORTALITY_2025)],
)
def test_measures_and_indices_of_each_version(
    release: str, version: str, mortality: dict[str, int]
) -> None:
    assert len(PATIENTS) >= 10
    for codes, poa, measures in PATIENTS:
        result = elixhauser(codes, poa=list(poa), release=release)
        assert (result.version, result.nearest) == (version, False)
        assert result.measures == measures, codes
        assert result.mortality_index == sum(mortality[m] for m in measures), codes
        assert result.readmission_index == sum(READMISSION[m] for m in measures), codes
        assert result.assumed == frozenset() and result.unmapped == ()


def test_the_result_says_what_set_dropped_and_excluded_each_measure() -> None:
    result = elixhauser(["E11.22", "E11.9", "I13.2", "N18.4", "I63.9", "I69.351"],
                        poa=["Y", "Y", "N", "N", "N", "Y"], release="2025")
    assert result.measures == {"DIAB_CX", "HTN_CX", "PARALYSIS"}
    assert dict(result.codes) == {"DIAB_CX": ("E11.22",), "DIAB_UNCX": ("E11.9",),
                                  "HTN_CX": ("I13.2",), "PARALYSIS": ("I69.351",)}
    assert dict(result.dropped) == {"DIAB_UNCX": ("DIAB_CX",)}
    assert dict(result.excluded) == {"HF": ("I13.2",), "RENLFL_SEV": ("I13.2", "N18.4"),
                                     "CBVD": ("I63.9", "I69.351")}
    assert result.exempt_list == 2025
    assert "DIAB_CX" in str(result) and "mortality index 3" in str(result)


def test_without_poa_data_the_poa_measures_are_assumed_and_said_to_be() -> None:
    result = elixhauser(["I50.9", "E11.9", "I69.398", "K70.30", "K72.10"], release="2025")
    assert result.measures == {"HF", "DIAB_UNCX", "CBVD", "LIVER_SEV"}
    # I69.398 is POA-exempt: its CBVD is no assumption; LIVER_MLD is dropped either way
    assert result.assumed == {"HF", "LIVER_SEV"}
    assert dict(result.dropped) == {"LIVER_MLD": ("LIVER_SEV",)}
    assert result.mortality_index == 14 + 0 + 5 + 16
    partial = elixhauser(["I50.9", "K72.10"], poa=["Y", None], release="2025")
    assert partial.assumed == {"LIVER_SEV"}
    assert "assumed present on admission: LIVER_SEV" in str(partial)


def test_a_sequelas_cbvd_rests_on_the_assumption_about_a_stroke_without_poa() -> None:
    # CMR_Mapping_Program_v2025-1.sas: "IF (CMR_CBVD_POA=1) OR (CMR_CBVD_POA=0 AND
    # CMR_CBVD_NPOA=0 AND CMR_CBVD_SQLA=1) THEN CMR_CBVD = 1", and CMR_CBVD_NPOA is set
    # by a CBVD_POA diagnosis (I63.9) with POA N or U. With no indicator for I63.9,
    # the sequela's CBVD (I69.351, POA Y; I69.398, exempt) holds only if I63.9 was
    # present on admission: it was counted but not listed in `assumed`.
    stroke_during_stay = elixhauser(["I63.9", "I69.351"], poa=["N", "Y"], release="2025")
    assert stroke_during_stay.measures == {"PARALYSIS"}
    unknown = elixhauser(["I63.9", "I69.351"], poa=[None, "Y"], release="2025")
    assert unknown.measures == {"CBVD", "PARALYSIS"}
    assert unknown.assumed == {"CBVD"}
    no_poa_data = elixhauser(["I63.9", "I69.398"], release="2025")
    assert no_poa_data.measures == no_poa_data.assumed == {"CBVD"}
    # an exempt sequela alone is no assumption (I69.398 is on every exempt list)
    assert elixhauser(["I69.398"], release="2025").assumed == frozenset()
    # nor is a stroke present on admission: CBVD_POA=1 whatever the others
    sure = elixhauser(["I63.9", "G45.9"], poa=["Y", None], release="2025")
    assert sure.measures == {"CBVD"} and sure.assumed == frozenset()


def test_an_inpatient_encounters_principal_diagnosis_is_not_read() -> None:
    stay = Encounter.from_codes(["I50.9", "E11.22", "N18.6"], setting="inpatient",
                                date_of_service="2025-03-01", present_on_admission="YYY")
    result = elixhauser(stay)
    assert result.principal == "I50.9"
    assert result.measures == {"DIAB_CX", "RENLFL_SEV"}
    assert result.release == "2025"
    assert elixhauser(stay, first_is_principal=False).measures == {
        "HF", "DIAB_CX", "RENLFL_SEV"}
    # a list of codes counts them all, unless the first is said to be the principal
    assert elixhauser(["I50.9", "E11.22"], release="2025").principal is None
    told = elixhauser(["I50.9", "E11.22"], release="2025", first_is_principal=True)
    assert told.principal == "I50.9" and told.measures == {"DIAB_CX"}
    visit = Encounter.from_codes(["I50.9", "E11.22"], date_of_service="2025-03-01")
    assert elixhauser(visit).measures == {"HF", "DIAB_CX"}  # outpatient: no principal


@pytest.mark.parametrize(
    ("release", "version", "nearest"),
    [("2016", "v2022.1", True), ("2021", "v2022.1", True), ("2022-04", "v2022.1", False),
     ("2023", "v2023.1", False), ("2024", "v2025.1", True), ("2025-04", "v2025.1", False),
     ("2026", "v2025.1", True), ("2027", "v2025.1", True)],
)
def test_a_release_uses_its_own_version_or_the_nearest(
    release: str, version: str, nearest: bool
) -> None:
    result = elixhauser(["E11.9"], release=release)
    assert (result.version, result.nearest) == (version, nearest)
    assert result.measures == {"DIAB_UNCX"}


def test_the_exempt_list_follows_the_date_of_service() -> None:
    # FY2024 has no version of its own (v2025.1, the later of two equally near ones,
    # is used), but v2025.1 has an exempt list for FY2024; FY2026 has none, so the
    # program's default, its latest list, is used
    assert elixhauser(["E11.9"], date_of_service="2024-01-15").exempt_list == 2024
    assert elixhauser(["E11.9"], date_of_service="2026-01-15").exempt_list == 2025
    assert elixhauser(["E11.9"], release="2023").exempt_list == 2023


def test_codes_the_version_cannot_read_are_unmapped_with_a_reason() -> None:
    result = elixhauser(["E11.9", "XX", "E11", "U07.1", "C78.31", 42],  # type: ignore[list-item]
                        release="2027")
    assert result.measures == {"DIAB_UNCX"}
    reasons = {u.code: u.reason for u in result.unmapped}
    assert "has 2 characters" in reasons["XX"]
    assert "E11 is a header in ICD-10-CM FY2027" in reasons["E11"]
    assert "42 is not code text" in reasons["42"]
    # C78.31 is new in FY2027 and no code above it is mapped (C78.3 is a header)
    assert "C78.31 is newer than AHRQ CMR v2025.1" in reasons["C78.31"]
    assert "U07.1" not in reasons  # a code of FY2016-FY2025 that sets no measure
    old = elixhauser(["U07.1"], release="2019")
    assert "U07.1 is not a code of ICD-10-CM FY2019" in old.unmapped[0].reason


def test_a_new_code_under_a_mapped_code_takes_its_measures() -> None:
    # G35 (multiple sclerosis, NEURO_OTH in v2025.1) became a header in FY2026
    result = elixhauser(["G35.A"], poa=["Y"], release="2027")
    assert result.measures == {"NEURO_OTH"}
    assert dict(result.inherited) == {"G35.A": "G35"}
    assert result.unmapped == ()
    assert elixhauser(["G35"], release="2025").measures == {"NEURO_OTH"}


@pytest.mark.slow
def test_a_version_does_not_know_the_codes_of_a_later_april_update() -> None:
    # The v2025.1 User Guide, Appendix A: "v2023.1 (released November 2022)", so it
    # cannot map the codes added on 2023-04-01. The April 2023 update split Z91.15
    # (noncompliance with renal dialysis; "Z9115" = "RENLFL_SEV" in the v2023-1 format
    # program) into Z91.151 and Z91.158, which are not in that $COMFMT (v2025-1 maps
    # both to RENLFL_SEV). They take Z91.15's measure, like any code newer than the
    # version; they are not codes the version knows and leaves out.
    result = elixhauser(["Z91.151", "Z91.158"], poa="YY", release="2023-04")
    assert (result.version, result.nearest) == ("v2023.1", False)
    assert result.measures == {"RENLFL_SEV"}
    assert dict(result.inherited) == {"Z91.151": "Z91.15", "Z91.158": "Z91.15"}
    assert elixhauser(["Z91.15"], poa="Y", release="2023").measures == {"RENLFL_SEV"}
    # T74.A1XA (child abuse, new on 2023-04-01) is in no format program of v2023.1: no
    # code above it is mapped, so it is unmapped, not a known code without a measure
    (unmapped,) = elixhauser(["T74.A1XA"], release="2023-04").unmapped
    assert unmapped.reason.startswith("T74.A1XA is newer than AHRQ CMR v2023.1")
    assert "2022-10-01" in unmapped.reason
    # v2022.1 (released October 2021) neither knows Z28.310, new on 2022-04-01
    (unmapped,) = elixhauser(["Z28.310"], release="2022-04").unmapped
    assert unmapped.reason.startswith("Z28.310 is newer than AHRQ CMR v2022.1")
    # the January 2021 update came before v2022.1: it maps M35.81 (AUTOIMMUNE)
    assert elixhauser(["M35.81"], release="2021-01").measures == {"AUTOIMMUNE"}
    coverage = icd10cm.elixhauser_coverage("2023-04")
    assert coverage.inherited["Z91.151"] == "Z91.15"
    assert "T74.A1XA" in coverage.unmapped


def test_a_new_code_takes_the_poa_exemption_of_the_code_above_it() -> None:
    # Z91.15 is on the FY2023 exempt list of v2023.1 ($POAXMPT_V40FMT of
    # CMR_Format_Program_v2023-1.sas lists "Z9115"), so its RENLFL_SEV counts whatever
    # its POA indicator. Its April 2023 children Z91.151 and Z91.158 take its measure;
    # they are exempt too: CMS's POA-exempt list of the 2023-04 release (Appendix I)
    # lists both, as does v2025.1's next list ($POAXMPT_V41FMT: 'Z91151', 'Z91158').
    # They were read as not exempt, so POA 1 or N dropped RENLFL_SEV.
    assert {"Z91.151", "Z91.158"} <= icd10cm.poa_exempt_list(release="2023-04").codes
    for poa in ("1", "N", "U"):
        parent = elixhauser(["Z91.15"], poa=poa, release="2023")
        result = elixhauser(["Z91.151", "Z91.158"], poa=poa * 2, release="2023-04")
        assert parent.measures == result.measures == {"RENLFL_SEV"}, poa
        assert dict(result.excluded) == {}
        # CMR_Index_Program_v2023-1.sas: mwRENLFL_SEV = 7 ; rwRENLFL_SEV = 8 ;
        assert (result.mortality_index, result.readmission_index) == (7, 8)
    # a new code under a code that is not exempt is not exempt: G35 (NEURO_OTH,
    # POA-dependent) is on no exempt list of v2025.1
    assert elixhauser(["G35.A"], poa=["N"], release="2027").measures == frozenset()


def test_codes_objects_and_undotted_text() -> None:
    fy2025 = icd10cm.load_release("2025")
    result = elixhauser([fy2025["E11.22"], "I509"], poa=["Y", "Y"])
    assert result.release == "2025" and result.measures == {"DIAB_CX", "HF"}
    assert dict(result.codes)["HF"] == ("I50.9",)
    assert elixhauser("E11.22", release="2025").measures == {"DIAB_CX"}
    assert elixhauser([], release="2025").measures == frozenset()


def test_an_explicit_version() -> None:
    result = elixhauser(["F32.A"], release="2022", version="v2025.1")
    assert (result.version, result.nearest) == ("v2025.1", True)
    assert result.measures == {"DEPRESS"}
    with pytest.raises(ComorbidityError, match=r"Unknown CMR version 'v2024.1'.*v2022.1"):
        elixhauser(["E11.9"], version="v2024.1")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"poa": ["Y"]}, r"1 present-on-admission indicator\(s\) \['Y'\] for 2 code\(s\)"),
        ({"poa": "YYN"}, r"3 present-on-admission indicator\(s\) \['Y', 'Y', 'N'\]"),
        ({"poa": ["Y", "Q"]}, r"indicator 2, 'Q', is not one of Y, N, U, W or 1"),
    ],
)
def test_bad_poa_indicators_are_refused(kwargs: dict[str, object], error: str) -> None:
    with pytest.raises(ComorbidityError, match=error):
        elixhauser(["E11.9", "I50.9"], **kwargs)  # type: ignore[arg-type]


def test_an_encounter_brings_its_own_context() -> None:
    visit = Encounter.from_codes(["E11.9"], date_of_service="2025-03-01")
    with pytest.raises(ComorbidityError, match="carries its own release"):
        elixhauser(visit, release="2025")
    fy2025 = icd10cm.load_release("2025")
    with pytest.raises(ComorbidityError, match=r"E11\.9: Code objects of another release"):
        elixhauser([fy2025["E11.9"]], release="2024")


def test_versions_are_described() -> None:
    versions = icd10cm.cmr_versions()
    assert [v.version for v in versions] == ["v2022.1", "v2023.1", "v2025.1"]
    latest = versions[-1]
    assert latest.mapped_codes == 4542 and len(latest.measures) == 38
    hf = next(m for m in latest.measures if m.id == "HF")
    assert (hf.poa_dependent, hf.mortality_weight, hf.readmission_weight) == (True, 14, 7)
    assert [str(h) for h in latest.hierarchies][:3] == [
        "DIAB_CX drops DIAB_UNCX", "HTN_CX drops HTN_UNCX",
        "CANCER_METS drops CANCER_SOLID, CANCER_NSITU"]
    assert latest.source == "ahrq-cmr/CMR_v2025.1.zip"
    assert str(latest) == "AHRQ CMR v2025.1 (ICD-10-CM codes of FY2016 to FY2025)"

