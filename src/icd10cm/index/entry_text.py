"""How an index entry prints: its text, code and references (index terms, search hits)."""

from __future__ import annotations

__all__ = ["entry_text"]


def entry_text(text: str, code: str | None, manifestation: str | None, see: str | None,
               see_also: str | None, see_category: str | None) -> str:
    """``"Fracture, traumatic > radius > lower end - S52.50-"``: *text*, then the code
    (with the manifestation code in brackets) and each reference, joined with `` - ``."""
    parts = [text]
    if code:
        parts.append(code + (f" [{manifestation}]" if manifestation else ""))
    if see:
        parts.append(f"see {see}")
    if see_also:
        parts.append(f"see also {see_also}")
    if see_category:
        parts.append(f"see category {see_category}")
    return " - ".join(parts)
