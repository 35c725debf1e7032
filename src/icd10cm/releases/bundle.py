"""Read the bundled data files, checking each against the data manifest.

Files are read through :func:`importlib.resources.files`, never through
``__file__`` paths, and decoded at most once per process (until
:func:`icd10cm.clear_cache`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib.resources import files
from typing import Any

from icd10cm.core import caches
from icd10cm.errors import DataIntegrityError
from icd10cm.releases.table_format import Table, TableFormatError, decode_text, table_text

__all__ = ["clear", "data_version", "raw", "read_json", "read_table"]

_PACKAGE = "icd10cm.data"
_lock = threading.RLock()
_cache: dict[str, Any] = {}


def raw(name: str) -> bytes:
    try:
        return files(_PACKAGE).joinpath(name).read_bytes()
    except (OSError, ModuleNotFoundError) as exc:
        raise DataIntegrityError(name, f"cannot be read ({exc})") from exc


def _manifest() -> dict[str, Any]:
    with _lock:
        if "manifest.json" not in _cache:
            try:
                manifest = json.loads(raw("manifest.json"))
            except ValueError as exc:
                raise DataIntegrityError("manifest.json", f"not valid JSON ({exc})") from exc
            if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
                raise DataIntegrityError("manifest.json", "has no 'files' table of checksums")
            _cache["manifest.json"] = manifest
        loaded: dict[str, Any] = _cache["manifest.json"]
        return loaded


def _verified(name: str) -> bytes:
    expected = _manifest()["files"].get(name)
    if expected is None:
        raise DataIntegrityError(name, "not listed in the data manifest")
    data = raw(name)
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise DataIntegrityError(
            name, f"sha256 is {digest}, the manifest says {expected} (truncated or altered)"
        )
    return data


def read_json(name: str) -> Any:
    """A bundled JSON file, verified and cached."""
    with _lock:
        if name not in _cache:
            try:
                _cache[name] = json.loads(_verified(name))
            except ValueError as exc:
                raise DataIntegrityError(name, f"not valid JSON ({exc})") from exc
        return _cache[name]


def read_table(name: str) -> Table:
    """A bundled table, verified and cached."""
    with _lock:
        if name not in _cache:
            try:
                data = _verified(name)
                text = table_text(data)
                del data  # keep the peak memory of a load down: bytes, text, lines
                _cache[name] = decode_text(text)
            except TableFormatError as exc:
                raise DataIntegrityError(name, str(exc)) from exc
        table: Table = _cache[name]
        return table


def data_version() -> str:
    """The newest official release in the bundled data, e.g. ``"2027"``."""
    return str(_manifest()["data_version"])


@caches.register
def clear() -> None:
    """Forget every decoded file (the next read decodes and checks it again)."""
    with _lock:
        _cache.clear()
