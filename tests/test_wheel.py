"""The wheel ships the runtime package and its data, and nothing of the data build."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_holds_no_build_only_module(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("icd10cm-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    modules = [name for name in names if name.endswith(".py")]
    assert "icd10cm/__init__.py" in modules and "icd10cm/py.typed" in names
    assert "icd10cm/data/codes.table" in names
    assert "icd10cm/official/tabular.py" in modules  # release_from_files reads tabulars
    assert not [name for name in names if "_build" in name or "icd10cm_build" in name]
    assert not [name for name in names if name.startswith(("tools/", "tests/", "benchmarks/"))]
    shipped = {name.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
               for name in modules}
    source = {str(path.relative_to(ROOT / "src").with_suffix("")).replace("/", ".")
              .removesuffix(".__init__") for path in (ROOT / "src" / "icd10cm").rglob("*.py")}
    assert shipped == source  # exactly the package's own modules
