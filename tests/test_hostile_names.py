"""File names that break naive tools: newlines, tabs, a leading ``-``, quotes,
``;``, bytes that are not UTF-8, a name at the file system's length limit.

``yibao`` runs as a child process (argv and stderr as a shell user has them:
names as bytes, messages through a pipe). Each report is a small 部门决算
written for the test (``tests.report_formats``), one county per name so each
is a document of its own. Every such file is ingested, stored under its
printable name (control characters and undecodable bytes as ``\\xNN``), named
on stderr on one line when it has something to report, and ``yibao remove``
finds it by the name the user types.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.report_formats import as_pdf, as_text

pytestmark = pytest.mark.slow   # runs yibao in child processes
ROOT = Path(__file__).resolve().parent.parent

# name (bytes, as the file system holds it) → the county the report is of
HOSTILE = {
    b"line\nbreak.txt": "甲县",
    b"line\\x0abreak.txt": "壬县",   # a literal backslash: must not print as the newline name above
    b"tab\there.txt": "乙县",
    b"-rf report.txt": "丙县",
    b"it's \"quoted\".txt": "丁县",
    b"x; rm -rf ~; echo.txt": "戊县",
    b"\xb1\xa8\xb8\xe6.txt": "己县",                         # 报告 in GBK: not UTF-8
    ("很长的名字" * 16).encode() + b".txt": "庚县",          # 244 bytes: near NAME_MAX
    b"'); drop table raw.documents; --.txt": "辛县",
}
BROKEN = b"cut\n\t-short\xff.pdf"   # a truncated PDF under a hostile name: it must be reported


def printable(name: bytes) -> str:
    """What the name must be stored and shown as (written out by hand, not by yibao's code)."""
    out = []
    for ch in name.decode("utf-8", errors="surrogateescape"):
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif o < 0x20:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    return "".join(out)


def yibao(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DO_NOT_TRACK": "1"}
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=180)


def stored(wh: Path) -> set[str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {r[0] for r in con.execute("select file_name from raw.documents").fetchall()}
    finally:
        con.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for name, county in HOSTILE.items():
        with open(os.path.join(os.fsencode(d), name), "wb") as f:
            f.write(as_text().replace("某某县", county).encode("utf-8"))
    pdf = as_pdf()
    with open(os.path.join(os.fsencode(d), BROKEN), "wb") as f:
        f.write(pdf[: len(pdf) // 2])
    return d


def test_hostile_file_names_are_ingested_reported_printably_and_removable(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    proc = yibao("ingest", "reports", "--warehouse", str(wh), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert stored(wh) == {printable(n) for n in HOSTILE}
    assert all(len(n) <= 255 for n in HOSTILE)

    err = proc.stderr.decode("utf-8")          # strict: nothing unencodable reached stderr
    lines = err.splitlines()
    assert lines and all(line.startswith("yibao: ") for line in lines), err
    broken = [line for line in lines if printable(BROKEN) in line]
    assert broken and "not a readable PDF" in broken[0], err
    assert all(ch >= " " for line in lines for ch in line), "a control character reached stderr"

    # the user names the files as the shell gives them (bytes; `--` before a leading '-')
    names = list(HOSTILE)
    first, rest = names[:4], names[4:]
    proc = yibao("remove", "--warehouse", str(wh), "--",
                 *[os.path.join(b"reports", n) for n in first], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert stored(wh) == {printable(n) for n in rest}
    # … or by the printable name that dim_documents and stderr show
    proc = yibao("remove", "--warehouse", str(wh), "--",
                 *["reports/" + printable(n) for n in rest], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert stored(wh) == set()

    # run from inside the folder, a name starting with '-' is given after `--`
    proc = yibao("ingest", ".", "--warehouse", str(wh), cwd=folder)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    proc = yibao("remove", "--warehouse", str(wh), "--", b"-rf report.txt", cwd=folder)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert stored(wh) == {printable(n) for n in HOSTILE} - {"-rf report.txt"}
