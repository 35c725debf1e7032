"""The official releases the wheel bundles, and how each one is put together."""

from __future__ import annotations

from datetime import date

import attrs

__all__ = ["RELEASES", "ReleaseSpec"]


@attrs.frozen
class ReleaseSpec:
    """How to assemble one bundled release from the folders of ``cms-raw``.

    *order_from* names the folder whose order file the release uses when it
    has none of its own; *added_codes* and *added_chapter* take extra order rows
    and a tabular chapter from another folder (the April 2020 additions).
    """

    id: str
    fiscal_year: int
    effective_from: date
    folder: str | None
    order_from: str | None = None
    added_codes: tuple[str, tuple[str, ...]] | None = None
    added_chapter: tuple[str, int] | None = None
    note: str = ""


RELEASES: tuple[ReleaseSpec, ...] = (
    ReleaseSpec("2016", 2016, date(2015, 10, 1), "2016"),
    ReleaseSpec("2017", 2017, date(2016, 10, 1), "2017"),
    ReleaseSpec("2018", 2018, date(2017, 10, 1), "2018"),
    ReleaseSpec("2019", 2019, date(2018, 10, 1), "2019"),
    ReleaseSpec("2020", 2020, date(2019, 10, 1), "2020"),
    ReleaseSpec(
        "2020-04",
        2020,
        date(2020, 4, 1),
        None,
        order_from="2020",
        added_codes=("2021", ("U07", "U070", "U071")),
        added_chapter=("2021", 22),
        note=(
            "Derived release: CDC added U07.0 (vaping-related disorder) and U07.1 (COVID-19) "
            "for use from 2020-04-01, outside the regular file sets. It is the FY2020 order "
            "file and tabular plus the U07, U07.0 and U07.1 order rows of the FY2021 order "
            "file, and chapter 22 (U00-U85) of the FY2021 tabular. The FY2021 addenda list "
            "exactly these three rows as additions, and the FY2021 Guidelines (I.C.1.g, "
            "I.C.10.e) cover both codes."
        ),
    ),
    ReleaseSpec("2021", 2021, date(2020, 10, 1), "2021"),
    ReleaseSpec("2021-01", 2021, date(2021, 1, 1), "2021-01"),
    ReleaseSpec("2022", 2022, date(2021, 10, 1), "2022"),
    ReleaseSpec("2022-04", 2022, date(2022, 4, 1), "2022-04"),
    ReleaseSpec("2023", 2023, date(2022, 10, 1), "2023"),
    ReleaseSpec("2023-04", 2023, date(2023, 4, 1), "2023-04"),
    ReleaseSpec("2024", 2024, date(2023, 10, 1), "2024"),
    ReleaseSpec(
        "2024-04",
        2024,
        date(2024, 4, 1),
        "2024-04",
        order_from="2024",
        note=(
            "The April 1, 2024 update changed no codes: its order and codes addenda list no "
            "changes and its order file is byte-identical to FY2024's, so cms-raw keeps one "
            "copy and the order rows come from 2024/icd10cm-order-2024.txt."
        ),
    ),
    ReleaseSpec("2025", 2025, date(2024, 10, 1), "2025"),
    ReleaseSpec("2025-04", 2025, date(2025, 4, 1), "2025-04"),
    ReleaseSpec("2026", 2026, date(2025, 10, 1), "2026"),
    ReleaseSpec(
        "2026-04",
        2026,
        date(2026, 4, 1),
        "2026-04",
        order_from="2026",
        note=(
            "The April 1, 2026 update is present as its tabular and a codes file identical "
            "to FY2026's, with no order file. The order rows (headers included) come from "
            "2026/icd10cm_order_2026.txt; the build checks that its reportable codes and "
            "titles equal the 2026-04 codes file."
        ),
    ),
    ReleaseSpec("2027", 2027, date(2026, 10, 1), "2027"),
)
