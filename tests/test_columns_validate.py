"""columns.validate checks by column, then asks row_problem of the rows a
column can't vouch for: the errors and the rows kept must be exactly the
row-by-row check's."""
from decimal import Decimal

from ingest.columns import row_problem, validate
from ingest.schema import FACT_TABLES, fact_schema


def row_by_row(rows):
    good, errors = {}, []
    for table, table_rows in rows.items():
        good[table] = []
        for row in table_rows:
            why = row_problem(table, row) if table in FACT_TABLES else f"unknown raw table {table!r}"
            if why is None:
                good[table].append(row)
                continue
            line = row.get("source_line") or row.get("start_line")
            line = line if isinstance(line, int) and not isinstance(line, bool) else None
            where = f" at line {line}" if line else ""
            errors.append({"stage": "validate", "source_line": line,
                           "reason": f"{table} row{where}: {why}; the row is not loaded"})
    return good, errors


class Text(str):
    pass


def line_item(n, **changes):
    row = dict.fromkeys(fact_schema("line_items"))
    row.update(table_kind="summary", classification="functional", code="2101501", line_name="行政运行",
               measure_label="合计", measure="total", amount_text="35.20", unit="万元",
               amount_wan_yuan=Decimal("35.20"), source_line=n)
    row.update(changes)
    return row


BAD_AMOUNTS = [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1.1234567"),
               Decimal("1.1000000"), Decimal("0E+25"), Decimal("0E-9"), Decimal("1E+14"),
               Decimal("99999999999999.999999"), Decimal("-100000000000000"), 10**14, -(10**14),
               10**14 - 1, 0, True, 1.5, "35.20", Text("35.20")]


def test_the_columnar_check_gives_the_row_by_row_result():
    items = [line_item(1)]
    items += [line_item(k + 2, amount_wan_yuan=v) for k, v in enumerate(BAD_AMOUNTS)]
    items += [line_item(40, source_line=True), line_item(41, source_line=2**31),
              line_item(42, source_line=-2**31), line_item(43, source_line="7"),
              line_item(44, code=""), line_item(45, code=None), line_item(46, line_name=Text("行政运行")),
              line_item(47, line_name=3), line_item(48, unit=None), line_item(49)]
    missing = line_item(50)
    del missing["unit"]
    extra = line_item(51, surplus=1)
    reordered = dict(reversed(list(line_item(53, code="").items())))   # keys in another order
    items += [missing, extra, line_item(52), reordered, dict(reversed(list(line_item(54).items())))]
    rows = {"line_items": items, "nonsense": [{"a": 1}, {"b": 2}], "table_notes": []}
    got = validate(rows)
    assert got == row_by_row(rows)
    good, errors = got
    assert len(errors) >= 15 and len(good["line_items"]) >= 5
    assert any("more than 14 integer digits" in e["reason"] and "line 7" in e["reason"] for e in errors)


def test_every_fact_table_of_a_parsed_report_validates_alike():
    from pathlib import Path

    from ingest.extract import extract_document
    from ingest.readers import read
    sample = sorted(Path(__file__).resolve().parent.parent.glob("corpus/seeds/*.txt"))[0]
    rows = dict(extract_document(read(sample.read_bytes(), sample.name)).rows)
    assert sum(map(len, rows.values())) > 20
    assert validate(rows) == row_by_row(rows)


def test_a_column_of_decimals_only_is_screened_alike():
    """The C-level screen of a column holding only Decimals and None
    (``_decimals_fit``) passes a column only when no value of it could fail."""
    good = [Decimal("35.20"), Decimal("-0.000001"), Decimal("99999999999999.999999"), Decimal("0E+5"),
            Decimal("1.100000000"), None]
    bad = [v for v in BAD_AMOUNTS if type(v) is Decimal]
    for amounts in [good, *([*good, v] for v in bad), [None], [v for v in bad]]:
        rows = {"line_items": [line_item(k + 1, amount_wan_yuan=v) for k, v in enumerate(amounts)]}
        assert validate(rows) == row_by_row(rows)
    for v in bad:
        rows = {"line_items": [line_item(1), line_item(2, amount_wan_yuan=v)]}
        # a value that can't fit is caught; one with only trailing zeros past the scale is kept
        fits = str(v) in ("1.1000000", "0E-9", "99999999999999.999999")
        assert bool(validate(rows)[1]) is not fits
