"""Every check id the check modules raise is a row of the catalogue, with an
English name; every module of CHECK_MODULES has a run(doc, facts)."""
import csv
import importlib
import re
from pathlib import Path

from ingest.checks import CHECK_MODULES

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = {r["check_id"]: r for r in csv.DictReader(
    (ROOT / "seeds" / "data_quality_checks.csv").open(encoding="utf-8"))}


def _raised_ids(path: Path) -> set[str]:
    return set(re.findall(r'issue\(\s*"([A-Za-z_]+)"', path.read_text(encoding="utf-8")))


def test_every_raised_check_is_catalogued_with_a_name():
    raised = set()
    for path in (ROOT / "ingest" / "checks").glob("*.py"):
        raised |= _raised_ids(path)
    assert raised, "no check ids found"
    missing = sorted(raised - CATALOGUE.keys())
    assert not missing, missing
    assert all(CATALOGUE[c]["name"] for c in raised)


def test_every_check_module_runs_on_an_empty_document():
    from ingest.document import Document

    for name in CHECK_MODULES:
        assert importlib.import_module(name).run(Document([], "text"), {}) == []
