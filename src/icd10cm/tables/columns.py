"""The columns of the Table of Drugs and Chemicals and of the Neoplasm Table.

Each value is also the name of the column in the bundled data, and
:attr:`label` is the heading the official table prints.
"""

from __future__ import annotations

import enum

__all__ = ["Behavior", "Intent", "stored_columns"]


class Intent(str, enum.Enum):
    """A column of the Table of Drugs and Chemicals: the poisoning intent, or an
    adverse effect or underdosing of a drug taken as prescribed."""

    ACCIDENTAL = "accidental"
    INTENTIONAL_SELF_HARM = "intentional_self_harm"
    ASSAULT = "assault"
    UNDETERMINED = "undetermined"
    ADVERSE_EFFECT = "adverse_effect"
    UNDERDOSING = "underdosing"

    @property
    def label(self) -> str:
        """The heading of the column in the official table."""
        return _INTENT_LABELS[self]

    def __str__(self) -> str:
        return self.value


class Behavior(str, enum.Enum):
    """A column of the Neoplasm Table: the behavior of the neoplasm."""

    MALIGNANT_PRIMARY = "malignant_primary"
    MALIGNANT_SECONDARY = "malignant_secondary"
    CA_IN_SITU = "ca_in_situ"
    BENIGN = "benign"
    UNCERTAIN = "uncertain"
    UNSPECIFIED = "unspecified"

    @property
    def label(self) -> str:
        """The heading of the column in the official table."""
        return _BEHAVIOR_LABELS[self]

    def __str__(self) -> str:
        return self.value


_INTENT_LABELS = {
    Intent.ACCIDENTAL: "Poisoning, Accidental (unintentional)",
    Intent.INTENTIONAL_SELF_HARM: "Poisoning, Intentional self-harm",
    Intent.ASSAULT: "Poisoning, Assault",
    Intent.UNDETERMINED: "Poisoning, Undetermined",
    Intent.ADVERSE_EFFECT: "Adverse effect",
    Intent.UNDERDOSING: "Underdosing",
}

_BEHAVIOR_LABELS = {
    Behavior.MALIGNANT_PRIMARY: "Malignant Primary",
    Behavior.MALIGNANT_SECONDARY: "Malignant Secondary",
    Behavior.CA_IN_SITU: "Ca in situ",
    Behavior.BENIGN: "Benign",
    Behavior.UNCERTAIN: "Uncertain Behavior",
    Behavior.UNSPECIFIED: "Unspecified Behavior",
}


def stored_columns(kind: str) -> tuple[str, ...]:
    """The columns of the bundled table of *kind* (``"drug"`` or ``"neoplasm"``): the
    row's path, its six cells, and its see, see-also and manif texts."""
    if kind not in ("drug", "neoplasm"):
        raise ValueError(f"no table of kind {kind!r}")
    codes = [column.value for column in (Intent if kind == "drug" else Behavior)]
    return ("path", *codes, "see", "see_also", "manif")
