"""The odd files of issue 17, made from a sample report at test time.

Each odd file is a variant of one sample report published under another
department's name (so it is a document of its own, never a near-duplicate of
the sample), with one fault: the faults are the layout's, not the sample's.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tests.sampletext import sample_text  # a 部门预算 with tables in 元 (its rendering)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

BASE_UNIT = "司法局"


def _variant(unit: str) -> str:
    return sample_text().replace(BASE_UNIT, unit)


def _first_table_amount(text: str) -> tuple[str, str]:
    """The first subject line with an amount, and that amount."""
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) > 4 and re.fullmatch(r"\d{3}", cells[0]) and cells[2].strip():
            amount = next(c for c in cells[3:] if re.fullmatch(r"[\d,]+\.\d\d", c))
            return line, amount
    raise AssertionError("no table line in the base report")


def _subject_line(text: str) -> tuple[str, str]:
    """A subject line with a name of four or more characters, and the name."""
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) > 4 and re.fullmatch(r"\d{2}", cells[2].strip() or "x") and len(cells[3]) >= 4:
            return line, cells[3]
    raise AssertionError("no subject line in the base report")


def _edit_line(text: str, line: str, new: str) -> str:
    assert text.count(line) >= 1
    return text.replace(line, new, 1)


def make_odd_folder(root: Path, outside: Path, big_mb: int = 50) -> dict:
    """Write the odd files into ``root``; returns kind → path."""
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}

    def put(kind: str, name: str | bytes, data: bytes) -> None:
        path = Path(os.fsdecode(os.path.join(os.fsencode(root), os.fsencode(name))))
        path.write_bytes(data)
        made[kind] = path

    sample = sorted((CORPUS / "seeds").glob("004_*.txt"))[0]
    put("duplicate", "copy of a report.txt", sample.read_bytes())
    made["duplicate_of"] = sample.name

    text = _variant("统计局")
    line, amount = _first_table_amount(text)
    put("amount_15_digits", "fifteen.txt",
        _edit_line(text, line, line.replace(amount, "1234567890123456789.00", 1)).encode())
    text = _variant("审计局")
    line, amount = _first_table_amount(text)
    put("amount_100000_digits", "huge-number.txt",
        _edit_line(text, line, line.replace(amount, "9" * 100_000, 1)).encode())

    text = _variant("档案局")
    line, name = _subject_line(text)
    put("replacement_char", "fffd.txt",
        _edit_line(text, line, line.replace(name, name[:2] + "\ufffd" + name[3:], 1)).encode())
    text = _variant("民政局")
    line, name = _subject_line(text)
    typo = name[:-1] + ("远" if name[-1] != "远" else "运")
    put("ocr_typo", "typo.txt", _edit_line(text, line, line.replace(name, typo, 1)).encode())

    body = _variant("水务局").encode()
    with open(root / "big.txt", "wb") as f:
        for _ in range(big_mb * 2**20 // len(body) + 1):
            f.write(body)
    made["big"] = root / "big.txt"

    prose = "\n".join(line for line in _variant("体育局").splitlines()
                      if "\t" not in line and not re.search(r"\d{3,}", line))
    put("prose_only", "prose.txt", prose.encode())

    put("web_page", "notice.html", (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>上海市普陀区绿化局2026年部门预算</title>"
        "</head><body><h1>上海市普陀区绿化局2026年部门预算</h1><p>单位：元</p>"
        "<table><tr><td>项目</td><td>预算数</td></tr><tr><td>一、财政拨款收入</td><td>1,000.00</td></tr>"
        "</table></body></html>").encode())

    unreadable = root / "locked.txt"
    unreadable.write_bytes(_variant("交通委员会").encode())
    unreadable.chmod(0)
    made["unreadable"] = unreadable

    put("non_utf8_name", b"\xc6\xd5\xcd\xd3\xc7\xf8\xb1\xa8\xb8\xe6.txt",   # 普陀区报告 in GBK
        _variant("科学技术委员会").encode())

    put("big5", "big5.txt", ("上海市普陀區衛生健康委員會2026年部門預算\n"
                             "一、部門職責\n本部門主要職責是負責全區衛生健康工作，"
                             "擬訂衛生健康事業發展規劃。\n" * 20).encode("big5"))

    secret = outside / "outside.txt"
    secret.write_bytes(_variant("国有资产监督管理委员会").encode())
    (root / "link-out.txt").symlink_to(secret)
    made["symlink_out"] = root / "link-out.txt"
    return made


def copy_corpus(dest: Path) -> Path:
    """The sample corpus' text seeds and its smallest PDF, laid out under ``dest``
    as in corpus/ (the PDFs are ~95 % of the corpus' parse time; one stands for
    them beside the odd files)."""
    files = sorted(f for f in CORPUS.rglob("*") if f.is_file())
    pdf = min((f for f in files if f.suffix == ".pdf"), key=lambda f: f.stat().st_size)
    for f in [f for f in files if f.suffix != ".pdf"] + [pdf]:
        target = dest / f.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, target)
    return dest
