"""``icd10cm comorbidity CODE...``: the Elixhauser (AHRQ CMR) or Charlson measures of codes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from icd10cm.cli.common import add_release_arguments

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
                        "U, W or 1), comma-separated; without them POA-dependent measures are "
                        "assumed present, and said to be")
    parser.add_argument("--principal", action="store_true",
                        help="elixhauser: the first code is the principal diagnosis, which the "
                        "CMR program does not read (default: every code counts)")
    parser.add_argument("--weights", choices=("charlson1987", "quan2011"),
                        default="charlson1987",
                        help="charlson: the weights (default: charlson1987)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="output format (default: table)")
    add_release_arguments(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.errors import ComorbidityError

    if args.method == "charlson" and (args.poa or args.principal):
        raise ComorbidityError("--poa and --principal are options of --method elixhauser; "
                               "the Charlson index reads every code, whatever its POA.")
    if args.method == "elixhauser":
        from icd10cm.comorbidity.elixhauser import elixhauser

        result: ElixhauserResult | CharlsonResult = elixhauser(
            args.codes, release=args.release, date_of_service=args.date,
            poa=args.poa.split(",") if args.poa else None,
            first_is_principal=args.principal)
    else:
        from icd10cm.comorbidity.charlson import charlson

        result = charlson(args.codes, release=args.release, date_of_service=args.date,
                          weights=args.weights)
    if args.format == "json":
        json.dump(_document(result), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.method == "elixhauser":
        _print_elixhauser(result)  # type: ignore[arg-type]
    else:
        _print_charlson(result)  # type: ignore[arg-type]
    return 1 if result.unmapped else 0


def _document(result: ElixhauserResult | CharlsonResult) -> dict[str, Any]:
    """The result as plain JSON values: sets sorted, unmapped codes as objects."""
    import attrs

    document: dict[str, Any] = {}
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


def _codes(codes: tuple[str, ...]) -> str:
    return " ".join(codes)


def _print_elixhauser(result: ElixhauserResult) -> None:
    from icd10cm.comorbidity.maps import cmr_program

    version = cmr_program(result.version).info
    which = "the nearest version" if result.nearest else "the release's own version"
    print(f"ICD-10-CM {result.release}: AHRQ CMR {result.version} ({which}), POA-exempt list "
          f"of FY{result.exempt_list}")
    if result.principal is not None:
        print(f"  principal diagnosis {result.principal}: not read (the program reads "
              "secondary diagnoses)")
    descriptions = {m.id: m.description for m in version.measures}
    shown = [m.id for m in version.measures if m.id in result.codes]
    width = max((len(m) for m in shown), default=0)
    for measure in shown:
        note = ""
        if measure in result.dropped:
            note = f" (dropped: {' and '.join(result.dropped[measure])} present)"
        elif measure in result.assumed:
            note = " (assumed present on admission)"
        print(f"  {measure.ljust(width)}  {_codes(result.codes[measure])}  "
              f"{descriptions[measure]}{note}")
    for measure, codes in result.excluded.items():
        print(f"  not counted, POA: {measure}  {_codes(codes)}")
    for code, parent in result.inherited.items():
        print(f"  {code}: new since the version, takes the measures of {parent}")
    print(f"Mortality index {result.mortality_index}, readmission index "
          f"{result.readmission_index}")
    for unmapped in result.unmapped:
        print(f"  unmapped {unmapped}")


def _print_charlson(result: CharlsonResult) -> None:
    from icd10cm.comorbidity.charlson import program_with

    program = program_with(False, False)
    print(f"ICD-10-CM {result.release}: Charlson (Quan et al. 2005), {result.weights} weights")
    weights = dict(zip(program.conditions, program.weights[result.weights], strict=True))
    names = dict(zip(program.conditions, program.names, strict=True))
    shown = [c for c in program.conditions if c in result.codes]
    width = max((len(c) for c in shown), default=0)
    for condition in shown:
        note = (f" (dropped: {' and '.join(result.dropped[condition])} present)"
                if condition in result.dropped else f" (weight {weights[condition]})")
        print(f"  {condition.ljust(width)}  {_codes(result.codes[condition])}  "
              f"{names[condition]}{note}")
    print(f"Score {result.score}")
    for unmapped in result.unmapped:
        print(f"  unmapped {unmapped}")
