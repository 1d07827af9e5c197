"""The sample PDFs converted the way a new user would (``pdftotext -layout``,
space-aligned columns) extract as the tab-separated text does: line items
precision and recall ≥ 0.98 against the answer key, and no error-level
data-quality issue that the tab-separated version doesn't have.

The PDFs are converted here, into a temporary folder; nothing converted is
committed. Needs poppler-utils (``make setup-test`` installs it) and the shared
folder beside the repository (``YIBAO_SHARED`` names another place)."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from ingest.evaluate import num, txt
from ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("YIBAO_SHARED", ROOT.parent / "shared"))
SAMPLES, GOLD = SHARED / "samples", SHARED / "gold"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or not list(SAMPLES.glob("*.pdf")) or not GOLD.is_dir(),
    reason="needs pdftotext (poppler-utils), the sample PDFs and the answer key")


def _facts(path: Path) -> tuple[Counter, set]:
    item = parse_file((str(path), path.read_bytes(), "0" * 64))
    assert item["document"] is not None and not item["errors"], item["errors"]
    rows = item["rows"]
    items = Counter((r["table_no"], txt(r["code"]), txt(r["line_name"]), txt(r["measure_label"]),
                     num(r["amount_wan_yuan"])) for r in rows["line_items"] if r["table_no"])
    errors = {(i["check_id"], i["location"]) for i in rows["quality_issues"] if i["severity"] == "error"}
    return items, errors


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("pdftotext")
    paths = []
    for pdf in sorted(SAMPLES.glob("*.pdf")):
        target = out / (pdf.stem + ".txt")
        subprocess.run(["pdftotext", "-layout", str(pdf), str(target)], check=True,
                       stderr=subprocess.DEVNULL)
        paths.append(target)
    return paths


def test_layout_text_scores_like_the_tab_text(converted):
    with (GOLD / "line_items.csv").open(encoding="utf-8") as f:
        gold_rows = list(csv.DictReader(f))
    matched = found = expected = 0
    for path in converted:
        gold = Counter((r["table"], txt(r["code"]), txt(r["name"]), txt(r["measure"]), num(r["value"]))
                       for r in gold_rows if Path(r["file"]).stem == path.stem)
        assert gold, path.name
        items, _ = _facts(path)
        matched += sum((gold & items).values())
        found += sum(items.values())
        expected += sum(gold.values())
    precision, recall = matched / found, matched / expected
    print(f"pdftotext -layout line items: precision {precision:.3f} recall {recall:.3f} "
          f"({matched} matched, {found} found, {expected} in the answer key)")
    assert precision >= 0.98 and recall >= 0.98


def test_no_error_the_tab_version_does_not_have(converted):
    for path in converted:
        tab = SAMPLES / path.name
        if not tab.exists():
            continue
        _, layout_errors = _facts(path)
        _, tab_errors = _facts(tab)
        assert layout_errors <= tab_errors, (path.name, layout_errors - tab_errors)
