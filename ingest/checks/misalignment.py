"""Amount columns shifted against their codes (``tables_misaligned_columns``).

Misalignment. A converted table may print its amount columns shifted against
its code/name columns (e.g. the last rows' amounts one row off). The check
looks for a block of rows whose printed amounts are a permutation of the
amounts another source gives for the same codes, then counts which alignment
the report's other sources support (other tables, the narrative, the class
totals of the summary tables). When the alternative is better supported, it
emits ONE ``misaligned_columns`` issue for the table (location ``table NN``)
naming that alignment, and the per-code comparisons of those rows are not
repeated as separate mismatches (the class-total mismatches they cause are).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ingest.checks.table_rows import cn_source, cn_table, coded, fmt, same, top_level, totals_by_code, where


def mismatch_block(printed: list[tuple[str, Decimal]], ref: dict[str, Decimal]) -> list[int]:
    """Indexes of rows whose amount differs from the reference, if they are a permutation of it."""
    block = [i for i, (code, value) in enumerate(printed) if code in ref and not same(value, ref[code])]
    if len(block) < 2:
        return []
    mine = sorted(printed[i][1] for i in block)
    theirs = sorted(ref[printed[i][0]] for i in block)
    return block if all(same(a, b) for a, b in zip(mine, theirs)) else []


def _agrees(source: dict[str, Decimal], values: dict[str, Decimal]) -> bool:
    present = [c for c in values if c in source]
    return bool(present) and all(same(source[c], values[c]) for c in present)


def _class_support(values: dict[str, Decimal], totals: dict[str, Decimal], classes: dict[str, Decimal]) -> bool:
    merged = dict(totals)
    merged.update(values)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code in top_level(list(merged)):
        sums[code[:3]] += merged[code]
    touched = {c[:3] for c in values}
    return bool(touched & set(classes)) and all(same(sums[c], classes[c]) for c in touched if c in classes)


def _shift_words(block_codes: list[str], printed: dict[str, Decimal], expected: dict[str, Decimal]) -> str:
    v = [printed[c] for c in block_codes]
    e = [expected[c] for c in block_codes]
    n = len(v)
    for step, words in ((-1, "整体下移一行"), (1, "整体上移一行")):
        if all(same(v[k], e[(k + step) % n]) for k in range(n)):
            return f"相对科目编码{words}"
    return "与科目编码错位"


def find_misalignments(tables: dict[str, list[dict]], narrative: dict[str, Decimal],
                       classes: dict[str, Decimal]) -> tuple[list[dict], dict[str, set[str]]]:
    """One issue per misaligned table and the codes concerned, per table number."""
    sources = {f"table {no}": totals_by_code(rows) for no, rows in tables.items()}
    if narrative:
        sources["narrative"] = narrative
    issues, skipped = [], {}
    for no, rows in tables.items():
        mine = totals_by_code(rows)
        printed = [(c, mine[c]) for c in coded(rows) if c in mine and len(c) == 7]
        for ref_name, ref in sources.items():
            if ref_name == f"table {no}":
                continue
            block = mismatch_block(printed, ref)
            if not block:
                continue
            codes = [printed[i][0] for i in block]
            a = {c: mine[c] for c in codes}
            b = {c: ref[c] for c in codes}
            others = {n: s for n, s in sources.items() if n not in (f"table {no}", ref_name)}
            for_a = [n for n, s in others.items() if _agrees(s, a)]
            for_b = [ref_name] + [n for n, s in others.items() if _agrees(s, b)]
            if classes and _class_support(b, mine, classes):
                for_b.append("summary class totals")
            elif classes and _class_support(a, mine, classes):
                for_a.append("summary class totals")
            if len(for_b) - 1 <= len(for_a):  # the reference alone decides nothing
                continue
            line = next(r["source_line"] for r in rows if r["code"] == codes[0])
            expected = "; ".join(f"{c}={fmt(b[c])}" for c in codes)
            issues.append({
                "check_id": "tables_misaligned_columns", "severity": "error", "kind": "misaligned_columns",
                "location": where(no), "expected": expected,
                "observed": "; ".join(f"{c}={fmt(a[c])}" for c in codes),
                "description": (f"{cn_table(no)}有{len(codes)}行({', '.join(codes)})的金额"
                                f"{_shift_words(codes, a, b)};{'、'.join(cn_source(n) for n in for_b)}"
                                f"支持的对应为{expected}(印刷值保留不改)"),
                "source_line": line,
            })
            skipped[no] = set(codes)
            break
    return issues, skipped
