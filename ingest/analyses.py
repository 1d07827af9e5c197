"""The comparison queries of ``analyses/``, listed and run against a warehouse.

Each analysis is one plain SQL file over the ``marts`` schema (no dbt
templating), so it can equally be pasted into any SQL client connected to the
warehouse file. Its opening comment says what it answers; the first line of
that comment is its summary in ``yibao analyses``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.build import PROJECT_DIR

ANALYSES_DIR = PROJECT_DIR / "analyses"


class AnalysisFailed(Exception):
    """An analysis could not be found or run."""


@dataclass(frozen=True)
class Analysis:
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def summary(self) -> str:
        """The opening comment, joined into one line."""
        lines = []
        for line in self.sql.lstrip().splitlines():
            if not line.startswith("--"):
                break
            lines.append(line[2:].strip())
        return " ".join(lines)

    @property
    def headline(self) -> str:
        """The summary's first sentence (its question), at most 100 characters."""
        import re

        first = re.match(r"(.+?[?？。]|.+?\.(?=\s|$))", self.summary)
        text = first.group(1) if first else self.summary
        return text if len(text) <= 100 else text[:99] + "…"


def available(folder: Path = ANALYSES_DIR) -> list[Analysis]:
    return [Analysis(p.stem, p) for p in sorted(folder.glob("*.sql"))]


def find(name: str, folder: Path = ANALYSES_DIR) -> Analysis:
    stem = name.removesuffix(".sql")
    for analysis in available(folder):
        if analysis.name == stem:
            return analysis
    names = ", ".join(a.name for a in available(folder))
    raise AnalysisFailed(f"no analysis named {name!r}; `yibao analyses` lists them ({names})")


def run(warehouse: Path, analysis: Analysis, csv: Path | None = None):
    """Run one analysis read-only; write it to ``csv`` if given. Returns (columns, rows)."""
    import duckdb

    if not warehouse.exists():
        raise AnalysisFailed(f"{warehouse}: no warehouse; run `yibao run PATH` first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        try:
            relation = con.sql(analysis.sql)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise AnalysisFailed(f"analysis {analysis.name} failed on {warehouse}: {first}") from None
        if csv is not None:
            csv.parent.mkdir(parents=True, exist_ok=True)
            relation.write_csv(str(csv), header=True)
        return relation.columns, relation.fetchall()
    finally:
        con.close()


def render(columns: list[str], rows: list[tuple], limit: int = 50) -> str:
    """A plain tab-separated listing (header, then at most ``limit`` rows)."""
    def cell(value) -> str:
        return "" if value is None else str(value)

    out = ["\t".join(columns)]
    out += ["\t".join(cell(v) for v in row) for row in rows[:limit]]
    if len(rows) > limit:
        out.append(f"… {len(rows) - limit} more rows (use --csv FILE for all)")
    out.append(f"({len(rows)} rows)")
    return "\n".join(out)
