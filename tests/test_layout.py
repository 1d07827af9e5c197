"""The layout layer (ingest/layout.py) on tables that reproduce real layouts."""
from __future__ import annotations

from ingest.document import Cell, Table
from ingest.layout import SEQUENCE_ONLY, column_labels, label_table


def _table(rows: list[list[str]], flags: tuple[str, ...] = ()) -> Table:
    return Table([Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)], flags=flags)


def _by_label(grid, row: int) -> dict[str, str]:
    return {cell.label: cell.text for cell in grid.body[row]}


def test_multi_row_header_joins_fragments_and_drops_group_headers():
    header = [["科目编码", "科目名称", "本年支出", "", "", "年末结转"],
              ["", "", "合计", "基本支出", "项目支出", "和结余"]]
    assert column_labels(header) == ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "年末结转和结余"]


def test_merged_group_header_over_its_columns():
    cells = [Cell(0, 0, "项目", row_span=2), Cell(0, 1, "本年收入", col_span=2),
             Cell(1, 1, "小计"), Cell(1, 2, "财政拨款"),
             Cell(2, 0, "行政运行"), Cell(2, 1, "12.50"), Cell(2, 2, "10.00")]
    grid = label_table(Table(cells))
    assert grid.header_rows == 2
    assert grid.labels == ["项目", "小计", "财政拨款"]
    assert _by_label(grid, 0) == {"项目": "行政运行", "小计": "12.50", "财政拨款": "10.00"}


def test_blank_cells_keep_their_column_by_index():
    rows = [["项目", "年初预算", "调整预算", "决算数"],
            ["一般公共服务支出", "", "3.00", "2.90"],
            ["合计", "", "", "2.90"]]
    grid = label_table(_table(rows))
    assert grid.header_rows == 1
    assert _by_label(grid, 0) == {"项目": "一般公共服务支出", "调整预算": "3.00", "决算数": "2.90"}
    assert _by_label(grid, 1) == {"项目": "合计", "决算数": "2.90"}
    assert all(cell.assigned_by == "index" and cell.flags == () for row in grid.body for cell in row)


def test_x_overlap_places_a_cell_the_grid_put_in_the_wrong_column():
    # a PDF row whose blank cells were not detected: the grid packed its
    # figures to the left, but their x-extents stand under their headers
    cells = [Cell(0, 0, "项目", x0=40, x1=160), Cell(0, 1, "预算数", x0=160, x1=240),
             Cell(0, 2, "决算数", x0=240, x1=320), Cell(0, 3, "比上年增减", x0=320, x1=400),
             Cell(1, 0, "医疗保障管理事务", x0=42, x1=150), Cell(1, 1, "88.40", x0=262, x1=300),
             Cell(1, 2, "-1.20", x0=350, x1=390)]
    grid = label_table(Table(cells))
    assert _by_label(grid, 0) == {"项目": "医疗保障管理事务", "决算数": "88.40", "比上年增减": "-1.20"}
    assert {cell.assigned_by for cell in grid.body[0]} == {"x_overlap"}


def test_sequence_only_when_positions_were_guessed_and_flagged():
    rows = [["项目", "预算数", "决算数"], ["行政运行", "5.00", "4.80"]]
    grid = label_table(_table(rows, flags=(SEQUENCE_ONLY,)))
    assert _by_label(grid, 0) == {"项目": "行政运行", "预算数": "5.00", "决算数": "4.80"}
    assert all(cell.flags == (SEQUENCE_ONLY,) for cell in grid.body[0])


def test_table_without_figures_is_all_header():
    grid = label_table(_table([["单位名称", "负责人"], ["某某局", "张三"]]))
    assert grid.header_rows == 2 and grid.body == ()


def test_budget_rows_without_cell_positions_are_flagged_low_confidence():
    from ingest.parsers import tables
    lines = ["收入决算表", "公开02表", "单位：万元",
             "科目编码  科目名称  本年收入合计  财政拨款收入",
             "210  卫生健康支出  120.50  120.50",
             "21015  医疗保障管理事务  120.50  120.50"]
    out = tables.extract(lines)
    assert out["line_items"], "the rows are still read"
    (issue,) = out["quality_issues"]
    assert issue["check_id"] == "tables_sequence_only_columns" and issue["observed"] == "2 rows"
    tabbed = [line.replace("  ", "\t") for line in lines]
    assert tables.extract(tabbed)["quality_issues"] == []
