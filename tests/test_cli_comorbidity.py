"""``icd10cm comorbidity``: the JSON document and the exit codes (the table output is
shown, and run, in docs/cli.md)."""

from __future__ import annotations

import json

import pytest

from icd10cm.__main__ import main


def test_json_holds_the_results_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["comorbidity", "E11.22", "E11.9", "I50.9", "--poa", "Y,Y,N",
                 "--release", "2025", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["measures"] == ["DIAB_CX"]
    assert document["dropped"] == {"DIAB_UNCX": ["DIAB_CX"]}
    assert document["excluded"] == {"HF": ["I50.9"]}
    assert (document["version"], document["nearest"], document["mortality_index"]) == (
        "v2025.1", False, -2)


def test_poa_one_letter_per_code_or_comma_separated(
        capsys: pytest.CaptureFixture[str]) -> None:
    for poa in ("YNN", "Y,N,N", "Y,N,"):
        assert main(["comorbidity", "E11.22", "I50.9", "K70.30", "--poa", poa,
                     "--release", "2025", "--format", "json"]) == 0
        document = json.loads(capsys.readouterr().out)
        # HF and LIVER_MLD count only when present on admission; a missing one is assumed
        assert document["excluded"] == ({"HF": ["I50.9"], "LIVER_MLD": ["K70.30"]}
                                        if poa != "Y,N," else {"HF": ["I50.9"]}), poa
        assert document["assumed"] == ([] if poa != "Y,N," else ["LIVER_MLD"]), poa


def test_an_unmapped_code_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["comorbidity", "E11.99", "B20", "--method", "charlson", "--release", "2025",
                 "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["conditions"] == ["hiv"] and document["unmapped"][0]["code"] == "E11.99"


@pytest.mark.parametrize(
    ("argv", "error"),
    [(["B20", "--method", "charlson", "--poa", "Y"], "--poa and --principal are options"),
     (["B20", "I50.9", "--poa", "Y"], "1 present-on-admission indicator(s)"),
     (["B20", "--release", "1999"], "Unknown ICD-10-CM release")],
)
def test_bad_input_exits_2(argv: list[str], error: str,
                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["comorbidity", *argv]) == 2
    assert error in capsys.readouterr().err


def test_the_table_says_why_a_sequela_did_not_count(capsys: pytest.CaptureFixture[str]) -> None:
    # CMR_Mapping_Program: CBVD = 1 if CBVD_POA = 1, or CBVD_POA = 0 and CBVD_NPOA = 0 and
    # CBVD_SQLA = 1. I69.351 (a sequela, POA-exempt) has POA Y; I63.9 has N, which sets
    # CBVD_NPOA: CBVD is not counted, and not because I69.351's indicator was not Y or W.
    assert main(["comorbidity", "I63.9", "I69.351", "--poa", "NY", "--release", "2025"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines()
               if line.strip().startswith("CBVD")]
    assert "I63.9 I69.351" in line
    assert "not counted: POA indicator not Y or W, or a sequela ruled out" in line
    assert main(["comorbidity", "I50.9", "--poa", "N", "--release", "2025"]) == 0
    assert "HF  I50.9  not counted: POA indicator not Y or W" in capsys.readouterr().out


def test_the_two_charlson_points_can_be_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    # charlson-quan2005.md: E1x.6 (E11.65 hyperglycaemia) and C4A (Merkel cell carcinoma)
    # are "two points for ICD-10-CM that a user must be able to see and choose"; the
    # command could not choose them. Charlson (1987) weights: diabetes without chronic
    # complication 1, with 2, any malignancy 2.
    argv = ["comorbidity", "E11.65", "C4A.9", "--method", "charlson", "--release", "2025",
            "--format", "json"]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["conditions"], document["score"], document["variants"]) == (
        ["diabetes"], 1, [])
    assert main([*argv, "--e1x6-as-complicated", "--c4a-as-malignancy"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["conditions"], document["score"], document["variants"]) == (
        ["diabetes_complicated", "malignancy"], 4, ["e1x6_as_complicated", "c4a_as_malignancy"])
    assert main(["comorbidity", "E11.65", "--c4a-as-malignancy"]) == 2
    assert "--c4a-as-malignancy: options of --method charlson" in capsys.readouterr().err
