"""Score the warehouse's extraction against an answer key (a "gold" folder).

The gold folder holds one CSV per kind of fact, as ``shared/gold/SCHEMA.md``
describes. Each gold row and each warehouse fact is turned into a tuple of
normalized fields (text: full-width folded, whitespace removed; numbers: plain
decimals), and the two multisets are compared per file: precision = matched /
extracted, recall = matched / gold. Only files that the gold covers are
scored; a gold file missing from the warehouse counts as all misses.

Kinds and the fields they match on:

=================  ===========================================================
documents          file, field, value — one fact per identity field
sections           file, report_type
line_items         file, table, code, name, measure (header as printed), value
indicators         file, scope, level1, level2, level3, weight, score
indicator_texts    file, scope, level3, target, actual
projects           file, project, initial, annual, executed, rate, score
metrics            file, metric, value (a set: a figure stated twice counts once)
issues             file, kind, and the place (see below)
=================  ===========================================================

An answer key's file is matched to an ingested file by **stem** (the name
without its extension), so a key written for ``x.txt`` scores ``x.pdf``.

Issues (``issues.csv``: file, kind, where, description) are scored by place,
not by wording: an issue of the warehouse matches a key row when the file and
the kind agree and its ``location`` names the same place as the row's
``where`` — the same table (by number, ``公开03表`` / ``table 03`` / ``(03)`` /
``03/``, or by title, ``项目支出绩效自评表:<项目>``) or the same section (a heading
of four characters or more, or the same run of heading numbers ``五(三)``).
A key row is recalled when an issue matches it, each issue recalling at most
one row (a maximum one-to-one matching: an issue about one figure of a
section never stands for two known problems there); an issue is precise when
it matches some key row. Only the key's kinds (``SCORED_ISSUE_KINDS``) are
scored; checks of other kinds (``score_inconsistent`` …) are the warehouse's
own.

An answer key lists only the metrics of the contract's vocabulary
(``SCORED_METRICS``); metrics the warehouse adds beyond it (报销人次, 政府采购 …)
are not scored.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from ingest.evaluate_places import same_place
from ingest.text import normalize_label

DOCUMENT_FIELDS = ("department", "province", "city", "county", "admin_level",
                   "fiscal_year", "unit_kind")


SCORED_METRICS = frozenset({
    "total_income", "fiscal_appropriation_income", "total_expenditure", "basic_expenditure",
    "project_expenditure", "personnel_expenditure", "public_expenditure", "three_public_budget",
    "three_public_actual", "staff_authorized", "staff_actual", "self_evaluation_score",
    "insured_persons_total", "insured_residents", "insured_employees", "coverage_rate"})


SCORED_ISSUE_KINDS = frozenset({
    "misaligned_columns", "total_mismatch", "copy_paste_text", "ocr_typo",
    "contradictory_figures", "unit_note", "table_numbering"})


class GoldMissing(Exception):
    """The gold folder or the warehouse is not there."""


def num(value) -> str:
    """A number in one canonical text form ('' for none): 95.0000 → 95."""
    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return normalize_label(str(value))
    d = d.normalize()
    return format(d, "f") if d != d.to_integral() else str(d.quantize(Decimal(1)))


def txt(value) -> str:
    return normalize_label("" if value is None else str(value))


# --- gold side ---------------------------------------------------------------

def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def gold_facts(gold: Path) -> dict[str, list[tuple]]:
    facts: dict[str, list[tuple]] = {}
    docs = _read_csv(gold / "documents.csv")
    facts["documents"] = [(r["file"], f, txt(r.get(f))) for r in docs for f in DOCUMENT_FIELDS
                          if txt(r.get(f))]
    facts["sections"] = [(r["file"], r["report_type"]) for r in _read_csv(gold / "sections.csv")]
    facts["line_items"] = [
        (r["file"], r["table"], txt(r["code"]), txt(r["name"]), txt(r["measure"]), num(r["value"]))
        for r in _read_csv(gold / "line_items.csv")]
    indicators = _read_csv(gold / "indicators.csv")
    facts["indicators"] = [
        (r["file"], txt(r["scope"]), txt(r["level1"]), txt(r["level2"]), txt(r["level3"]),
         num(r["weight"]), num(r["score"])) for r in indicators]
    facts["indicator_texts"] = [
        (r["file"], txt(r["scope"]), txt(r["level3"]), txt(r["target"]), txt(r["actual"]))
        for r in indicators]
    facts["projects"] = [
        (r["file"], txt(r["project"]), num(r["initial_budget"]), num(r["annual_budget"]),
         num(r["executed"]), num(r["execution_rate"]), num(r["score"]))
        for r in _read_csv(gold / "projects.csv")]
    facts["metrics"] = sorted({(r["file"], r["metric"], num(r["value"]))
                               for r in _read_csv(gold / "metrics.csv")})
    if (gold / "issues.csv").exists():
        facts["issues"] = [(r["file"], r["kind"], txt(r["where"]))
                           for r in _read_csv(gold / "issues.csv")]
    return facts


# --- warehouse side ----------------------------------------------------------

_WAREHOUSE_QUERIES = {
    "documents": """
        select d.file_name, p.department_name, p.province, p.city, p.county, p.admin_level,
               d.fiscal_year, p.unit_kind
        from marts.dim_documents d join marts.dim_departments p using (department_id)
        where p.is_identified""",
    "sections": """
        select d.file_name, s.report_type
        from marts.dim_document_sections s join marts.dim_documents d using (document_id)""",
    "line_items": """
        select d.file_name, l.table_no, l.line_code, l.line_name, l.measure_label, l.amount_wan_yuan
        from (select document_id, table_no, line_code, line_name, measure_label, amount_wan_yuan
              from marts.fct_functional_lines where table_no is not null
              union all
              select document_id, table_no, line_code, line_name, measure_label, amount_wan_yuan
              from marts.fct_economic_lines where table_no is not null) l
        join marts.dim_documents d using (document_id)""",
    "indicators": """
        select d.file_name, case when i.scope = 'department' then 'department' else i.project_name end,
               i.level1, i.level2, i.indicator_name, i.weight, i.score, i.target_text, i.actual_text
        from marts.fct_indicator_results i join marts.dim_documents d using (document_id)""",
    "projects": """
        select d.file_name, p.project_name, p.initial_budget_wan_yuan, p.annual_budget_wan_yuan,
               p.executed_wan_yuan, p.execution_rate_pct, p.score
        from marts.fct_project_executions p join marts.dim_documents d using (document_id)""",
    "metrics": """
        select d.file_name, m.metric, m.value
        from marts.fct_department_metrics m join marts.dim_documents d using (document_id)""",
    "issues": """
        select d.file_name, q.kind, q.location
        from marts.fct_data_quality_issues q join marts.dim_documents d using (document_id)""",
}


def warehouse_facts(warehouse: Path) -> dict[str, list[tuple]]:
    if not warehouse.exists():
        raise GoldMissing(f"{warehouse}: no warehouse; run `yibao run PATH` first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = {kind: con.execute(sql).fetchall() for kind, sql in _WAREHOUSE_QUERIES.items()}
        loaded_files = {r[0] for r in con.execute("select file_name from marts.dim_documents").fetchall()}
    except duckdb.CatalogException as exc:
        raise GoldMissing(f"{warehouse}: the marts are not built ({exc}); run `yibao build`") from None
    finally:
        con.close()
    facts: dict[str, list[tuple]] = {"files": [(f,) for f in sorted(loaded_files)]}
    facts["documents"] = [
        (r[0], f, txt(v)) for r in rows["documents"]
        for f, v in zip(DOCUMENT_FIELDS, r[1:]) if txt(v)]
    facts["sections"] = [tuple(r) for r in rows["sections"]]
    facts["line_items"] = [(r[0], r[1], txt(r[2]), txt(r[3]), txt(r[4]), num(r[5]))
                           for r in rows["line_items"]]
    facts["indicators"] = [(r[0], txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), num(r[5]), num(r[6]))
                           for r in rows["indicators"]]
    facts["indicator_texts"] = [(r[0], txt(r[1]), txt(r[4]), txt(r[7]), txt(r[8]))
                                for r in rows["indicators"]]
    facts["projects"] = [(r[0], txt(r[1]), *(num(v) for v in r[2:])) for r in rows["projects"]]
    facts["metrics"] = sorted({(r[0], r[1], num(r[2])) for r in rows["metrics"]
                               if r[1] in SCORED_METRICS})
    facts["issues"] = [(r[0], r[1], txt(r[2])) for r in rows["issues"]
                       if r[1] in SCORED_ISSUE_KINDS]
    return facts


# --- issues ------------------------------------------------------------------------

def score_issues(gold: list[tuple], extracted: list[tuple], files: list[str]) -> KindReport:
    """Recall: key rows recalled by distinct issues (a maximum one-to-one matching, so
    one issue never counts for two rows); precision: issues that match some key row."""
    wanted = set(files)
    extracted = [e for e in extracted if e[0] in wanted]
    pairs = {k: [j for j, e in enumerate(extracted)
                 if e[0] == g[0] and e[1] == g[1] and same_place(g[2], e[2])]
             for k, g in enumerate(gold)}
    hit_found = [any(j in js for js in pairs.values()) for j in range(len(extracted))]
    per_file, recalled = {}, set()
    for file in files:
        file_recalled = _recalled({k: js for k, js in pairs.items() if gold[k][0] == file})
        recalled |= file_recalled
        per_file[file] = Score(
            gold=sum(1 for g in gold if g[0] == file),
            extracted=sum(1 for e in extracted if e[0] == file),
            matched=len(file_recalled),
            matched_found=sum(h for e, h in zip(extracted, hit_found) if e[0] == file))
    return KindReport(
        total=Score(len(gold), len(extracted), sum(s.matched for s in per_file.values()),
                    sum(hit_found)),
        per_file=per_file,
        misses=sorted(g for k, g in enumerate(gold) if k not in recalled),
        extras=sorted(e for e, h in zip(extracted, hit_found) if not h))


def _recalled(pairs: dict[int, list[int]]) -> set[int]:
    """The key rows of a maximum one-to-one matching of key rows to issues."""
    owner: dict[int, int] = {}

    def take(g: int, seen: set[int]) -> bool:
        for e in pairs[g]:
            if e not in seen:
                seen.add(e)
                if e not in owner or take(owner[e], seen):
                    owner[e] = g
                    return True
        return False

    for g in pairs:
        take(g, set())
    return set(owner.values())


@dataclass
class Score:
    gold: int = 0
    extracted: int = 0
    matched: int = 0
    matched_found: int | None = None  # issues: extracted rows that match (≠ gold rows recalled)

    @property
    def precision(self) -> float:
        hits = self.matched if self.matched_found is None else self.matched_found
        return hits / self.extracted if self.extracted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class KindReport:
    total: Score
    per_file: dict[str, Score]
    misses: list[tuple]
    extras: list[tuple]


@dataclass
class Report:
    kinds: dict[str, KindReport] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)


def score_kind(gold: list[tuple], extracted: list[tuple], files: list[str]) -> KindReport:
    g, e = Counter(gold), Counter(f for f in extracted if f[0] in set(files))
    matched = g & e
    per_file = {}
    for file in files:
        per_file[file] = Score(
            gold=sum(n for k, n in g.items() if k[0] == file),
            extracted=sum(n for k, n in e.items() if k[0] == file),
            matched=sum(n for k, n in matched.items() if k[0] == file))
    return KindReport(
        total=Score(sum(g.values()), sum(e.values()), sum(matched.values())),
        per_file=per_file,
        misses=sorted((g - e).elements()),
        extras=sorted((e - g).elements()))


def evaluate(warehouse: Path, gold: Path) -> Report:
    if not gold.is_dir():
        raise GoldMissing(f"{gold}: no such gold folder")
    gf = gold_facts(gold)
    files = sorted({f[0] for rows in gf.values() for f in rows})
    if not files:
        raise GoldMissing(f"{gold}: no answer-key CSVs with a `file` column found")
    wf = _by_gold_name(warehouse_facts(warehouse), files)
    loaded = {f[0] for f in wf.pop("files")}
    report = Report(files=files, missing_files=[f for f in files if f not in loaded])
    for kind in gf:
        scorer = score_issues if kind == "issues" else score_kind
        report.kinds[kind] = scorer(gf[kind], wf.get(kind, []), files)
    return report


def _stem(name: str) -> str:
    return Path(name).stem


def _by_gold_name(wf: dict[str, list[tuple]], files: list[str]) -> dict[str, list[tuple]]:
    """Name each warehouse fact by the key's file of the same stem (x.pdf → x.txt)."""
    by_stem = {_stem(f): f for f in files}
    return {kind: [(by_stem.get(_stem(r[0]), r[0]), *r[1:]) for r in rows]
            for kind, rows in wf.items()}


def render(report: Report, details: int = 20) -> str:
    out = ["Extraction scored against the answer key",
           "", f"{'kind':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>6} {'found':>6} {'matched':>7}"]
    for kind, kr in report.kinds.items():
        t = kr.total
        out.append(f"{kind:<16} {t.precision:>9.4f} {t.recall:>7.4f} {t.f1:>6.4f} "
                   f"{t.gold:>6} {t.extracted:>6} {t.matched:>7}")
    out += ["", "F1 per file (— where neither gold nor extraction has facts of that kind)"]
    kinds = list(report.kinds)
    out.append(f"{'file':<40} " + " ".join(f"{k[:10]:>10}" for k in kinds))
    for file in report.files:
        cells = []
        for k in kinds:
            s = report.kinds[k].per_file[file]
            cells.append(f"{'—' if not (s.gold or s.extracted) else f'{s.f1:.3f}':>10}")
        out.append(f"{file[:40]:<40} " + " ".join(cells))
    if report.missing_files:
        out += ["", "gold files not in the warehouse: " + ", ".join(report.missing_files)]
    if details:
        for kind, kr in report.kinds.items():
            if kr.misses:
                out += ["", f"{kind}: misses (in gold, not extracted) — {len(kr.misses)}"]
                out += [f"  - {m}" for m in kr.misses[:details]]
                if len(kr.misses) > details:
                    out.append(f"  … {len(kr.misses) - details} more")
            if kr.extras:
                out += ["", f"{kind}: extras (extracted, not in gold) — {len(kr.extras)}"]
                out += [f"  + {m}" for m in kr.extras[:details]]
                if len(kr.extras) > details:
                    out.append(f"  … {len(kr.extras) - details} more")
    return "\n".join(out)
