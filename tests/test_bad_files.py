"""One report that parses badly never takes the others down: a run over the
sample corpus (its text seeds and one PDF) plus a prose-only report (tables
printed as images), a web page, an empty file and a binary file publishes;
the good reports' facts are the same as without the bad files; each bad file
is named on stderr and recorded (in raw.ingest_errors, or as a document with
its issues)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.cli import main
from tests.oddfiles import copy_corpus

PROSE_ONLY = """某某市某某区医疗保障局2024年度部门决算

第一部分 部门概况
一、主要职能
贯彻执行医疗保障法律法规和政策，组织实施全区医疗保障制度。

第二部分 2024年度部门决算表
（本部分各表以图片形式公开）

第三部分 2024年度部门决算情况说明
2024年度收入、支出决算总计1,286.40万元。与上年相比，收入、支出总计各增加35.20万元，
主要原因是医保经办人员经费增加。
"""

WEB_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某某区医疗保障局2024年部门预算公开</title></head>
<body><div class="nav">首页 &gt; 信息公开 &gt; 财政预决算</div>
<p>根据《中华人民共和国预算法》规定，现将本单位2024年部门预算公开如下。</p>
<a href="/attach/2024bmys.pdf">附件：2024年部门预算.pdf</a></body></html>
"""

QUERIES = {
    "line_items": "select d.file_name, l.table_no, l.line_code, l.measure_label, l.amount_text, l.source_line "
                  "from marts.{table} l join marts.dim_documents d using (document_id)",
    "metrics": "select d.file_name, m.metric, m.value, m.source_line "
               "from marts.fct_department_metrics m join marts.dim_documents d using (document_id)",
    "indicators": "select d.file_name, i.indicator_name, i.score, i.source_line "
                  "from marts.fct_indicator_results i join marts.dim_documents d using (document_id)",
}


def _facts(warehouse: Path, files: set[str]) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table in ("fct_functional_lines", "fct_economic_lines"):
            out[table] = sorted((r for r in con.execute(QUERIES["line_items"].format(table=table)).fetchall()
                                 if r[0] in files), key=repr)
        for kind in ("metrics", "indicators"):
            out[kind] = sorted((r for r in con.execute(QUERIES[kind]).fetchall() if r[0] in files), key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    bad = tmp_path_factory.mktemp("bad")
    (bad / "prose_only.txt").write_text(PROSE_ONLY, encoding="utf-8")
    (bad / "notice.html").write_text(WEB_PAGE, encoding="utf-8")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "scan.pdf.txt").write_bytes(bytes(range(256)) * 16)
    return bad


def test_bad_files_publish_and_keep_the_good_facts(bad_run, built_warehouse, tmp_path, capsys):
    warehouse = tmp_path / "w.duckdb"
    files = sorted(bad_run.iterdir())
    reports = copy_corpus(tmp_path / "reports")   # the text seeds and one sample PDF
    assert main(["run", str(reports), *map(str, files), "--warehouse", str(warehouse)]) == 0
    err = capsys.readouterr().err
    good = {p.name for p in reports.rglob("*") if p.is_file()}
    assert len(good) >= 6 and any(name.endswith(".pdf") for name in good)
    assert _facts(warehouse, good) == _facts(built_warehouse, good)

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        errors = {Path(f).name for (f,) in con.execute("select source_file from raw.ingest_errors").fetchall()}
        documents = {f for (f,) in con.execute("select file_name from marts.dim_documents").fetchall()}
    finally:
        con.close()
    for path in files:
        assert path.name in errors | documents, path.name
    for name in ("empty.txt", "scan.pdf.txt"):
        assert name in errors and name in err, name
    assert {"prose_only.txt", "notice.html"} <= documents  # read, with what little they hold
