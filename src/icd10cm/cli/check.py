"""``icd10cm check CODE...``: check an encounter against the Guidelines and sequence it."""

from __future__ import annotations

import argparse
import json
import sys

from icd10cm.cli.common import (
    add_own_data_only,
    add_release_arguments,
    ascii_json,
    in_command_line_words,
    poa_indicators,
)

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check",
        help="check an encounter's diagnoses and suggest their order",
        description="Check one encounter's diagnoses, in reported order, against the "
        "Official Guidelines (see docs/encounters.md for every rule), then print the "
        "findings and the suggested order with the reason for every move. Exit 0 when "
        "there is no error-level finding, 1 when there is, 2 on bad input.",
    )
    parser.add_argument("codes", nargs="+", metavar="CODE", help="diagnoses in reported order")
    parser.add_argument("--setting", default="outpatient", choices=("inpatient", "outpatient"),
                        help="inpatient: principal diagnosis (Section II); outpatient "
                        "(the default, as in the library): first-listed diagnosis (Section IV)")
    parser.add_argument("--poa", metavar="Y,N,...",
                        help="inpatient only: present-on-admission indicators, one per code "
                        "(Y, N, U, W or 1 for exempt), comma-separated (an empty one: none) "
                        "or one letter per code (YYN)")
    parser.add_argument("--first-designated", action="store_true",
                        help="the first code is the provider's designated principal or "
                        "first-listed diagnosis: keep it first unless a rule forbids it")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="output format (default: table)")
    add_release_arguments(parser)
    add_own_data_only(parser, "Tabular List notes")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.encounters.checks import check
    from icd10cm.encounters.encounter import Encounter
    from icd10cm.encounters.rules import Severity
    from icd10cm.encounters.sequencing import sequence

    encounter = Encounter.from_codes(
        args.codes,
        setting=args.setting,
        date_of_service=args.date,
        release=args.release,
        present_on_admission=poa_indicators(args.poa, args.codes),
        first_designated=args.first_designated,
    )
    findings = check(encounter, own_data_only=args.own_data_only)
    sequencing = sequence(encounter, own_data_only=args.own_data_only)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    if args.format == "json":
        from icd10cm.io.json import check_to_json, to_json

        document = {"check": check_to_json(encounter, findings),
                    "sequencing": to_json(sequencing)}
        json.dump(document, sys.stdout, indent=1, ensure_ascii=ascii_json())
        sys.stdout.write("\n")
        return 1 if errors else 0
    release = encounter.release
    print(f"ICD-10-CM {release.info.label} ({release.id}), {encounter.setting.value}: "
          f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
    for finding in findings:
        where = ", ".join(f"{p + 1}:{c}" for p, c in
                          zip(finding.positions, finding.codes, strict=True))
        print(f"  {finding.severity.value.upper():7} {finding.rule}"
              + (f" [{where}]" if where else ""))
        print(f"          {in_command_line_words(finding.message)}")
        if finding.suggestions:
            print(f"          suggestions: {', '.join(finding.suggestions)}")
    order = " ".join(code.value for code in sequencing.encounter.diagnoses)
    print(f"Suggested order: {order}" + ("" if sequencing.changed else " (unchanged)"))
    for move in sequencing.moves:
        print(f"  {move}")
    for finding in sequencing.unresolved:
        print(f"  unresolved: {finding.rule}: {in_command_line_words(finding.message)}")
    return 1 if errors else 0
