"""``icd10cm comorbidity CODE...``: the Elixhauser (AHRQ CMR) or Charlson measures of codes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from icd10cm.cli.common import add_release_arguments, ascii_json, poa_indicators, shown

if TYPE_CHECKING:
    from icd10cm.comorbidity.charlson import CharlsonResult
    from icd10cm.comorbidity.elixhauser import ElixhauserResult

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "comorbidity",
        help="the Elixhauser (AHRQ CMR) or Charlson comorbidities of codes",
        description="The AHRQ Elixhauser Comorbidity Software Refined (CMR) measures and "
        "indices, or the Charlson conditions and index (Quan 2005), of one patient's codes, "
        "with the codes that set each and every code the map cannot read (see "
        "docs/comorbidity.md). Exit 0 when every code was read, 1 when a code is unmapped, "
        "2 on bad input.",
    )
    parser.add_argument("codes", nargs="+", metavar="CODE", help="diagnosis codes")
    parser.add_argument("--method", choices=("elixhauser", "charlson"), default="elixhauser",
                        help="the measure (default: elixhauser)")
    parser.add_argument("--poa", metavar="Y,N,...",
                        help="elixhauser: present-on-admission indicators, one per code (Y, N, "
                        "U, W or 1), comma-separated (an empty one: none) or one letter per "
                        "code (YYN); without them POA-dependent measures are assumed present, "
                        "and said to be")
    parser.add_argument("--principal", action="store_true",
                        help="elixhauser: the first code is the principal diagnosis, which the "
                        "CMR program does not read (default: every code counts)")
    parser.add_argument("--weights", choices=("charlson1987", "quan2011"),
                        help="charlson: the weights (default: charlson1987)")
    parser.add_argument("--e1x6-as-complicated", action="store_true",
                        help="charlson: count E10.6, E11.6 and E13.6 as diabetes with chronic "
                        "complication (the paper counts them without)")
    parser.add_argument("--c4a-as-malignancy", action="store_true",
                        help="charlson: count C4A (Merkel cell carcinoma) as any malignancy "
                        "(the paper, older than C4A, does not)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="output format (default: table)")
    add_release_arguments(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.errors import ComorbidityError

    if args.method == "charlson" and (args.poa is not None or args.principal):
        raise ComorbidityError("--poa and --principal are options of --method elixhauser; "
                               "the Charlson index reads every code, whatever its POA.")
    variants = [flag for flag, wanted in (("--e1x6-as-complicated", args.e1x6_as_complicated),
                                          ("--c4a-as-malignancy", args.c4a_as_malignancy))
                if wanted]
    if args.method == "elixhauser" and variants:
        raise ComorbidityError(f"{' and '.join(variants)}: options of --method charlson; "
                               "add --method charlson or leave them out.")
    if args.method == "elixhauser" and args.weights is not None:
        raise ComorbidityError(f"--weights {args.weights} is an option of --method charlson; "
                               "the Elixhauser indices have their own weights. Add "
                               "--method charlson or leave --weights out.")
    if args.method == "elixhauser":
        from icd10cm.comorbidity.elixhauser import elixhauser

        result: ElixhauserResult | CharlsonResult = elixhauser(
            args.codes, release=args.release, date_of_service=args.date,
            poa=poa_indicators(args.poa, args.codes),
            first_is_principal=args.principal)
    else:
        from icd10cm.comorbidity.charlson import charlson

        result = charlson(args.codes, release=args.release, date_of_service=args.date,
                          weights=args.weights or "charlson1987",
                          e1x6_as_complicated=args.e1x6_as_complicated,
                          c4a_as_malignancy=args.c4a_as_malignancy)
    if args.format == "json":
        json.dump(_document(result), sys.stdout, indent=1, ensure_ascii=ascii_json())
        sys.stdout.write("\n")
    elif args.method == "elixhauser":
        _print_elixhauser(result)  # type: ignore[arg-type]
    else:
        _print_charlson(result)  # type: ignore[arg-type]
    return 1 if result.unmapped else 0


def _document(result: ElixhauserResult | CharlsonResult) -> dict[str, Any]:
    """The result as plain JSON values, after the two header fields every document has
    (docs/json.md): sets sorted, unmapped codes as objects."""
    import attrs

    from icd10cm.comorbidity.elixhauser import ElixhauserResult

    kind = "elixhauser" if isinstance(result, ElixhauserResult) else "charlson"
    document: dict[str, Any] = {"icd10cm_json": 1, "type": kind}
    for field in attrs.fields(type(result)):
        value = getattr(result, field.name)
        if isinstance(value, frozenset):
            value = sorted(value)
        elif field.name == "unmapped":
            value = [{"code": u.code, "reason": u.reason} for u in value]
        elif isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "items"):
            value = {key: list(v) if isinstance(v, tuple) else v for key, v in value.items()}
        document[field.name] = value
    return document


def _print_unmapped(result: ElixhauserResult | CharlsonResult) -> None:
    """Each code the map cannot read, as the input gave it (escaped when it has a
    character that is not printable, as ``validate`` shows it), and why."""
    for unmapped in result.unmapped:
        print(f"  unmapped: {shown(unmapped.code)}: {unmapped.reason}")


def _print_rows(rows: list[tuple[str, str, str]]) -> None:
    """Aligned rows of (measure or condition, its codes, what it is)."""
    widths = [max((len(row[i]) for row in rows), default=0) for i in (0, 1)]
    for name, codes, text in rows:
        print(f"  {name.ljust(widths[0])}  {codes.ljust(widths[1])}  {text}")


def _release_label(release_id: str) -> str:
    from icd10cm.releases.registry import load_release

    return f"ICD-10-CM {load_release(release_id).info.label} ({release_id})"


def _print_elixhauser(result: ElixhauserResult) -> None:
    from icd10cm.comorbidity.maps import cmr_program

    program = cmr_program(result.version)
    combined = {program.flags[bit] for bit in program.feeds.values()}  # CBVD
    which = "the nearest version" if result.nearest else "the release's own version"
    print(f"{_release_label(result.release)}, AHRQ CMR {result.version} ({which}), "
          f"POA-exempt list of FY{result.exempt_list}")
    if result.principal is not None:
        print(f"  {result.principal}: the principal diagnosis, not read (the program reads "
              "secondary diagnoses)")
    rows = []
    for measure in program.info.measures:
        if measure.id in result.codes:
            note = (f" (dropped: {' and '.join(result.dropped[measure.id])})"
                    if measure.id in result.dropped
                    else " (assumed present on admission)" if measure.id in result.assumed
                    else "")
            rows.append((measure.id, " ".join(result.codes[measure.id]),
                         measure.description + note))
    rows += [(measure, " ".join(codes), "not counted: POA indicator not Y or W" + (
        ", or a sequela ruled out by a diagnosis not present on admission (N or U)"
        if measure in combined else "")) for measure, codes in result.excluded.items()]
    _print_rows(rows)
    for code, parent in result.inherited.items():
        print(f"  {code}: newer than {result.version}, takes the measures of {parent}")
    print(f"Mortality index {result.mortality_index}, readmission index "
          f"{result.readmission_index}")
    _print_unmapped(result)


def _print_charlson(result: CharlsonResult) -> None:
    from icd10cm.comorbidity.charlson import program_with

    program = program_with("e1x6_as_complicated" in result.variants,
                           "c4a_as_malignancy" in result.variants)
    print(f"{_release_label(result.release)}, Charlson (Quan et al. 2005), "
          f"{result.weights} weights")
    rows = []
    for bit, condition in enumerate(program.conditions):
        if condition in result.codes:
            note = (f"dropped: {' and '.join(result.dropped[condition])}"
                    if condition in result.dropped
                    else f"weight {program.weights[result.weights][bit]}")
            rows.append((condition, " ".join(result.codes[condition]),
                         f"{program.names[bit]} ({note})"))
    _print_rows(rows)
    print(f"Score {result.score}")
    _print_unmapped(result)
