"""Parse code text into the :class:`~icd10cm.Code` of a release; never guesses a different code."""

from __future__ import annotations

from icd10cm.core.code import Code
from icd10cm.core.text import normalize
from icd10cm.errors import UnknownCodeError
from icd10cm.releases.history import closest_codes, describe_history, releases_with
from icd10cm.releases.registry import ReleaseLike, resolve_release

__all__ = ["parse_code"]


def parse_code(text: str, *, release: ReleaseLike | None = None) -> Code:
    """The :class:`Code` that *text* names in a release (default: the latest release).

    *release* is a release id, a date of service or a :class:`Release`. Raises
    :class:`MalformedCodeError` for text that is not shaped like a code, and
    :class:`UnknownCodeError` for a well-formed code the release lacks; that
    error says when the code existed and suggests the closest valid codes.
    Headers parse too: use :func:`icd10cm.validate` to check reportability.
    """
    resolved = resolve_release(release)
    if type(text) is str:  # fast path: text already canonical, dotted or undotted
        found = resolved.get(text)
        if found is not None:
            return found
    value = normalize(text)
    code = resolved.get(value)
    if code is None:
        raise UnknownCodeError(
            value,
            resolved.id,
            resolved.info.label,
            describe_history(releases_with(value), resolved),
            closest_codes(value, resolved),
        )
    return code


