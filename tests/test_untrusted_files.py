"""``release_from_files`` on hostile input: decompression bombs, deep nesting, odd files.

The user's files are untrusted. Every file is read within ``SourceLimits`` and refused
with a ``SourceFileError`` that names the file and the limit. The last test builds the
hostile archives of issue 16 at full size and checks, in a child process, that refusing
them all stays under a memory bound.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import icd10cm
from icd10cm import SourceFileError, SourceLimits

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini-cms" / "2025"
ORDER = FIXTURE / "icd10cm_order_2025.txt"
MiB = 1 << 20


def zip_bomb(path: Path, member: str, size: int, fill: bytes = b"\n") -> Path:
    """A zip whose one member expands to *size* bytes of *fill* (256 MiB: a 260 KB zip)."""
    chunk = fill * MiB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(member, "w", force_zip64=True) as out:
        for _ in range(size // MiB):
            out.write(chunk)
    return path


def gzip_bomb(path: Path, size: int) -> Path:
    """A .gz file that expands to *size* zero bytes: one gzip member of 1 MiB, repeated
    (a gzip file may be several members end to end), so even 1 GiB is written at once."""
    member = gzip.compress(b"\0" * MiB)
    path.write_bytes(member * (size // MiB))
    return path


def nested_zip(path: Path, levels: int) -> Path:
    """The order file inside *levels* zips, each inside the next."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(ORDER.name, ORDER.read_bytes())
    for level in range(1, levels):
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w") as archive:
            archive.writestr(f"level{level}.zip", data.getvalue())
        data = outer
    path.write_bytes(data.getvalue())
    return path


def deep_tabular(path: Path, depth: int) -> Path:
    """A tabular whose <diag> elements nest *depth* deep."""
    path.write_bytes(
        b'<?xml version="1.0"?>\n<ICD10CM.tabular><chapter><name>1</name>'
        b'<desc>Infections (A00-B99)</desc><section id="A00-A09"><desc>Cholera</desc>\n'
        + b"<diag><name>A00</name><desc>Cholera</desc>\n" * depth
        + b"</diag>" * depth + b"</section></chapter></ICD10CM.tabular>\n"
    )
    return path


def flood_tabular(path: Path, elements: int) -> Path:
    """A tabular of nothing but empty elements, zipped (4 million: a 16 KB zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("icd10cm_tabular_2025.xml",
                         b"<ICD10CM.tabular>" + b"<a/>" * elements + b"</ICD10CM.tabular>")
    return path


def test_the_default_limits_are_those_documented() -> None:
    limits = SourceLimits()
    assert (limits.text_size, limits.xml_size) == (64 * MiB, 128 * MiB)
    assert (limits.xml_elements, limits.xml_depth, limits.archive_nesting) == (500_000, 64, 4)
    with pytest.raises(ValueError, match=r"SourceLimits\.text_size must be a positive int"):
        SourceLimits(text_size=0)


def test_a_zip_bomb_is_refused_naming_the_member_and_the_limit(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "codes.zip", "icd10cm_order_2025.txt", 3 * MiB)
    with pytest.raises(SourceFileError) as info:
        icd10cm.release_from_files(bomb, limits=SourceLimits(text_size=2 * MiB))
    assert info.value.file == f"{bomb}!icd10cm_order_2025.txt"
    assert "more than 2,097,152 bytes (2 MiB) once decompressed" in str(info.value)
    assert "SourceLimits(text_size=...)" in str(info.value)


def test_a_gzip_bomb_is_refused_naming_the_file_and_the_limit(tmp_path: Path) -> None:
    bomb = gzip_bomb(tmp_path / "icd10cm_tabular_2025.xml.gz", 5 * MiB)
    with pytest.raises(SourceFileError, match=r"\(4 MiB\) once decompressed, the limit "
                                              r"SourceLimits.xml_size") as info:
        icd10cm.release_from_files(ORDER, bomb, limits=SourceLimits(xml_size=4 * MiB))
    assert info.value.file == str(bomb)


def test_a_file_within_its_limit_is_read(tmp_path: Path) -> None:
    size = len(ORDER.read_bytes())
    release = icd10cm.release_from_files(ORDER, limits=SourceLimits(text_size=size))
    assert "A00.0" in release
    with pytest.raises(SourceFileError, match=f"more than {size - 1:,} bytes"):
        icd10cm.release_from_files(ORDER, limits=SourceLimits(text_size=size - 1))


def test_zips_are_opened_four_levels_deep_and_no_deeper(tmp_path: Path) -> None:
    release = icd10cm.release_from_files(nested_zip(tmp_path / "four.zip", 4))
    assert "A00.0" in release
    five = nested_zip(tmp_path / "five.zip", 5)
    with pytest.raises(SourceFileError, match="a zip inside 4 levels of zips: at most 4 "
                                              "levels are opened") as info:
        icd10cm.release_from_files(five)
    assert info.value.file.count("!") == 4
    assert "A00.0" in icd10cm.release_from_files(five, limits=SourceLimits(archive_nesting=5))


def test_deeply_nested_xml_is_refused_with_its_line(tmp_path: Path) -> None:
    tabular = deep_tabular(tmp_path / "icd10cm_tabular_2025.xml", 5_000)
    with pytest.raises(SourceFileError, match="nested 65 elements deep, deeper than the 64 "
                                              "allowed") as info:
        icd10cm.release_from_files(ORDER, tabular)
    # <ICD10CM.tabular>, <chapter> and <section> are 3 deep; the <name> of the 61st
    # <diag>, on line 2 + 61, is the first element 65 deep
    assert info.value.line == 63 and "<name> is nested" in str(info.value)


def test_a_flood_of_xml_elements_is_refused(tmp_path: Path) -> None:
    flood = flood_tabular(tmp_path / "tables.zip", 2_000)
    with pytest.raises(SourceFileError, match="more than 1,000 elements, the limit"):
        icd10cm.release_from_files(ORDER, flood, limits=SourceLimits(xml_elements=1_000))


def test_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    order = tmp_path / ORDER.name
    order.write_bytes(b"\xef\xbb\xbf" + ORDER.read_bytes())
    with pytest.raises(SourceFileError, match=r"starts with a UTF-8 byte order mark \(BOM\)") \
            as info:
        icd10cm.release_from_files(order)
    assert info.value.line == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_not_a_regular_file(tmp_path: Path) -> None:
    pipe = tmp_path / "icd10cm_order_2025.txt"
    os.mkfifo(pipe)
    for given in (pipe, tmp_path):  # given itself, or found in a folder
        with pytest.raises(SourceFileError, match="not a regular file: it is a named pipe") \
                as info:
            icd10cm.release_from_files(given)
        assert info.value.file == str(pipe)
    with pytest.raises(SourceFileError, match="no such file or folder"):
        icd10cm.release_from_files(tmp_path / "missing.txt")


# --- the hostile archives of issue 16, at full size, under a memory bound --------------------

_CHILD = textwrap.dedent("""
    import os, sys
    pid = os.fork()
    if pid:  # Linux keeps ru_maxrss across fork and exec, so this child of the test
        # runner reports the runner's peak: the work runs in a fresh grandchild
        sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    import json, resource
    import icd10cm
    refused = {}
    for name, paths in json.loads(sys.argv[1]).items():
        try:
            icd10cm.release_from_files(*paths, release_id="2025")
        except icd10cm.SourceFileError as error:
            refused[name] = str(error)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(json.dumps({"refused": refused, "peak": peak}))
""")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_hostile_archives_are_refused_within_a_memory_bound(tmp_path: Path) -> None:
    """Without limits, the first cost 4.6 GB and the second 2.1 GB (issue 16)."""
    hostile = {
        "zip bomb": [zip_bomb(tmp_path / "codes.zip", "icd10cm_order_2025.txt", 256 * MiB)],
        "gzip bomb": [ORDER, gzip_bomb(tmp_path / "icd10cm_tabular_2025.xml.gz", 1024 * MiB)],
        "nested zips": [nested_zip(tmp_path / "nested.zip", 985)],
        "deep xml": [ORDER, deep_tabular(tmp_path / "icd10cm_tabular_2025.xml", 5_000)],
        "element flood": [ORDER, flood_tabular(tmp_path / "tables.zip", 4_000_000)],
    }
    arguments = json.dumps({name: [str(p) for p in paths] for name, paths in hostile.items()})
    run = subprocess.run([sys.executable, "-c", _CHILD, arguments], capture_output=True,
                         text=True, check=True, timeout=600)
    report = json.loads(run.stdout)
    assert set(report["refused"]) == set(hostile), report
    assert "SourceLimits.text_size" in report["refused"]["zip bomb"]
    assert "SourceLimits.xml_size" in report["refused"]["gzip bomb"]
    assert "SourceLimits.archive_nesting" in report["refused"]["nested zips"]
    assert "SourceLimits.xml_depth" in report["refused"]["deep xml"]
    assert "SourceLimits.xml_elements" in report["refused"]["element flood"]
    assert report["peak"] < 400 * MiB, f"peak {report['peak'] / MiB:.0f} MiB"


def test_a_codes_file_of_endless_codes_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """The codes file must list the order file's reportable codes; once it lists more,
    it is refused at once (the fixture's order file has 130)."""
    codes = tmp_path / "icd10cm_codes_2025.txt"
    codes.write_bytes(b"A000    Cholera\r\n" * 200_000)
    with pytest.raises(SourceFileError, match="more than 130 codes, but the order rows have "
                                              "130 reportable codes") as info:
        icd10cm.release_from_files(ORDER, codes)
    assert info.value.file == str(codes)
    codes.write_bytes(b"A000    Cholera\r\n\r\n")
    with pytest.raises(SourceFileError, match="not a code and its title: ''") as info:
        icd10cm.release_from_files(ORDER, codes)
    assert info.value.line == 2
