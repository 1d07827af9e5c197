"""Figures OCR'd with low confidence (ingest.checks.ocr_cells): a 支出决算表
read from a scan, as the OCR reader lays it out (cells with their page, box
and recognition confidence), with one cell read unsurely and without."""
from ingest.checks import ocr_cells
from ingest.document import Cell, Document, Location, Paragraph, Table
from ingest.extract import extract_document

ROWS = [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["", "合计", "1,476.02", "790.97", "685.05"],
        ["2101501", "行政运行", "512.38", "512.38", ""],
        ["2101599", "其他医疗保障管理事务支出", "685.05", "", "685.05"]]


def _scan(unsure: str | None = None, score: float = 0.55) -> Document:
    cells = []
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            box = f"{60 + 90 * c:.1f},{200 + 20 * r:.1f},{140 + 90 * c:.1f},{214 + 20 * r:.1f}"
            conf = score if (r, text) == (2, unsure) else 0.99
            cells.append(Cell(r, c, text, location=Location("2", box, conf)))
    blocks = [Paragraph("某某县医疗保障局2023年度部门决算", Location("1", "60,60,400,80", 0.99)),
              Paragraph("支出决算表", Location("2", "60,150,200,170", 0.98)),
              Paragraph("单位：万元", Location("2", "60,175,200,190", 0.97)),
              Table(cells, Location("2", "60,200,510,274"), flags=("ocr:0.990",))]
    return Document(blocks, "pdf")


def _issues(doc):
    return [i for i in extract_document(doc).rows["quality_issues"] if i["check_id"] == "OCR_LOW_CONFIDENCE"]


def test_a_cell_read_surely_raises_nothing_and_its_fact_carries_the_confidence():
    doc = _scan()
    assert _issues(doc) == []
    rows = extract_document(doc).rows["line_items"]
    assert rows and {r["source_ocr_confidence"] for r in rows} == {0.99}


def test_a_cell_read_unsurely_is_reported_with_its_place():
    found = _issues(_scan(unsure="512.38"))
    assert len(found) >= 1
    got = next(i for i in found if "本年支出合计" in i["location"])
    assert got["observed"] == "512.38" and got["severity"] == "warning"
    assert "行政运行" in got["location"] and "第2页 240.0,240.0,320.0,254.0" in got["location"]
    assert "置信度0.55" in got["description"]
    # the figure is kept as read, flagged by its confidence
    row = next(r for r in extract_document(_scan(unsure="512.38")).rows["line_items"]
               if r["code"] == "2101501" and r["measure"] == "total")
    assert row["amount_text"] == "512.38" and row["source_ocr_confidence"] == 0.55


def test_text_without_ocr_raises_nothing():
    doc = Document([Paragraph("\t".join(r)) for r in ROWS], "text")
    assert ocr_cells.run(doc, extract_document(doc, run_checks=False).rows) == []


def test_a_rendered_row_holds_the_lowest_confidence_of_its_cells():
    # what the check relies on to pass a line without looking at its cells
    lines = _scan(unsure="512.38", score=0.42).lines
    row = next(line for line in lines if line.cells and "行政运行" in line.cells)
    assert row.location.ocr_confidence == 0.42 == min(loc.ocr_confidence for loc in row.cell_locations)
    others = [line for line in lines if line.cells and line is not row]
    assert others and all(line.location.ocr_confidence == 0.99 for line in others)
