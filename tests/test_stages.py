"""The stage runner: declared order, each stage once, failures isolated."""
from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

from ingest.checks import CHECK_MODULES
from ingest.extract import STAGES, Stage, extract_document, select

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _corpus_doc(pattern: str):
    from ingest.readers import read
    path = next(p for p in sorted(CORPUS.rglob(pattern)))
    return read(path.read_bytes(), path.name)


def test_each_stage_and_check_runs_once_per_document():
    for pattern in ("25_*.pdf", "001_*.txt"):
        result = extract_document(_corpus_doc(pattern))
        assert not result.errors, result.errors
        checks = {m.rsplit(".", 1)[-1] for m in CHECK_MODULES}
        assert set(result.runs) == {s.name for s in STAGES} | checks
        assert set(result.runs.values()) == {1}, result.runs


def test_parsers_are_not_called_twice_inside_a_run(monkeypatch):
    """Count the calls of every parser entry point, not only the runner's."""
    from ingest.parsers import selfeval, tables
    calls = {"parse_all": 0, "parse_tables": 0}
    real_all, real_tables = tables.parse_all, selfeval.parse_tables

    def count_all(lines):
        calls["parse_all"] += 1
        return real_all(lines)

    def count_tables(lines, *index):
        calls["parse_tables"] += 1
        return real_tables(lines, *index)

    monkeypatch.setattr(tables, "parse_all", count_all)
    monkeypatch.setattr(selfeval, "parse_tables", count_tables)
    extract_document(_corpus_doc("001_*.txt"))
    assert calls == {"parse_all": 1, "parse_tables": 1}


def _stage(name, module, needs=()):
    return Stage(name, module, needs)


def test_a_failing_stage_skips_only_its_dependants(monkeypatch):
    boom = types.ModuleType("fake_boom")
    boom.extract = lambda lines: (_ for _ in ()).throw(RuntimeError("bad table"))
    ok = types.ModuleType("fake_ok")
    ok.extract = lambda lines: {"table_notes": [{
        "table_no": "07", "table_title": "t", "note_kind": "no_data", "note": "本表无数据",
        "source_line": 1}]}
    child = types.ModuleType("fake_child")
    child.extract = lambda lines, parent: {}
    for m in (boom, ok, child):
        monkeypatch.setitem(sys.modules, m.__name__, m)
    stages = (_stage("boom", "fake_boom"), _stage("child", "fake_child", (("parent", "boom"),)),
              _stage("ok", "fake_ok"))
    result = extract_document(["x"], stages=stages, checks=())
    assert len(result.rows["table_notes"]) == 1
    reasons = [e["reason"] for e in result.errors]
    assert any("bad table" in r for r in reasons)
    assert any(r.startswith("child: skipped") for r in reasons)
    assert result.runs == {"boom": 1, "ok": 1}


def test_a_failing_check_is_recorded_and_the_facts_stay(monkeypatch):
    bad = types.ModuleType("fake_check")
    bad.run = lambda doc, facts: 1 / 0
    monkeypatch.setitem(sys.modules, "fake_check", bad)
    result = extract_document(_corpus_doc("001_*.txt"), checks=("fake_check",))
    assert result.rows["line_items"]
    assert [e["stage"] for e in result.errors] == ["check"]


def test_select_adds_what_a_stage_needs_in_declared_order():
    assert [s.name for s in select("narrative")] == ["tables", "narrative"]
    assert [s.name for s in select("metrics", "identity")] == ["sections", "identity", "selfeval", "metrics"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_parser_imports_a_check_or_another_parser():
    parsers = sorted((ROOT / "ingest" / "parsers").glob("*.py"))
    own = {f"ingest.parsers.{p.stem}" for p in parsers if p.stem != "__init__"}
    for path in parsers:
        imported = _imports(path)
        assert not any(n.startswith("ingest.checks") for n in imported), path.name
        others = {n for n in imported if n in own and n != f"ingest.parsers.{path.stem}"}
        assert not others, (path.name, others)


def test_checks_do_not_import_each_other_back_into_parsers():
    for path in (ROOT / "ingest" / "checks").glob("*.py"):
        imported = _imports(path)
        assert not any(n.endswith(".extract") for n in imported), path.name
