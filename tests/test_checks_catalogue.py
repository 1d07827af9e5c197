"""Every check id the check modules and the parsers raise is a row of the
catalogue, with an English name; every module of CHECK_MODULES has a
run(doc, facts)."""
import csv
import importlib
import re
from pathlib import Path

from ingest.checks import CHECK_MODULES

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = {r["check_id"]: r for r in csv.DictReader(
    (ROOT / "seeds" / "data_quality_checks.csv").open(encoding="utf-8"))}


def _raised_ids(path: Path) -> set[str]:
    """Ids raised through a check's ``issue("ID", …)`` or written as an issue row's
    ``"check_id": "ID"`` (a parser noting a low-confidence table)."""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r'issue\(\s*"([A-Za-z_]+)"', text)) | set(
        re.findall(r'"check_id":\s*"([A-Za-z_]+)"', text))


def test_every_raised_check_is_catalogued_with_a_name():
    raised = set()
    for path in (ROOT / "ingest").rglob("*.py"):
        raised |= _raised_ids(path)
    assert raised, "no check ids found"
    assert {"selfeval_flattened_table", "tables_sequence_only_columns"} <= raised
    missing = sorted(raised - CATALOGUE.keys())
    assert not missing, missing
    assert all(CATALOGUE[c]["name"] for c in raised)


def test_every_check_module_runs_on_an_empty_document():
    from ingest.document import Document

    for name in CHECK_MODULES:
        assert importlib.import_module(name).run(Document([], "text"), {}) == []
