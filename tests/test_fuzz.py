"""Fuzzing and the input checklist: no exception escapes a stage, and what a
converter adds (BOM, CRLF, invisible and variant characters) changes no fact.

Hypothesis runs time-boxed (``max_examples`` small, no deadline per example
but a CPU budget per file); the long runs are marked ``slow``.
"""
from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.pipeline import parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
from tests.sampletext import sample_text  # noqa: E402

TABLES = sample_text()
FINAL = sorted((CORPUS / "seeds").glob("001_*.txt"))[0].read_text(encoding="utf-8")
SELF_EVAL = sorted((CORPUS / "seeds").glob("004_*.txt"))[0].read_text(encoding="utf-8")
LAYOUTS = [TABLES, FINAL, SELF_EVAL]
FUZZ = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parse(data: bytes, name: str = "report.txt") -> dict:
    return parse_file((name, data, hashlib.sha256(data).hexdigest()))


def crashes(item: dict) -> list[str]:
    """Errors that are a stage's exception (not a recorded property of the file)."""
    return [e["reason"] for e in item["errors"] if e["stage"] in ("parse", "check")]


def facts(item: dict) -> dict:
    return {t: sorted(map(repr, rows)) for t, rows in item["rows"].items() if rows}


# --- random input: readers and every stage ---------------------------------------

@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_never_escape_the_per_file_function(data):
    item = parse(data)
    assert item["document"] is None or isinstance(item["rows"], dict)
    assert all(e["stage"] for e in item["errors"])


@FUZZ
@given(st.text(max_size=3000))
def test_random_text_never_crashes_a_stage(text):
    assert not crashes(parse(text.encode("utf-8")))


MUTATIONS = ("delete", "duplicate", "tab_space", "full_width", "cut_line", "join_lines")


def mutate(text: str, rng: random.Random, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        if not chars:
            break
        i = rng.randrange(len(chars))
        op = rng.choice(MUTATIONS)
        if op == "delete":
            del chars[i]
        elif op == "duplicate":
            chars.insert(i, chars[i])
        elif op == "tab_space":
            chars[i] = {"\t": "  ", " ": "\t"}.get(chars[i], chars[i])
        elif op == "full_width" and chars[i].isdigit() and chars[i].isascii():
            chars[i] = chr(ord(chars[i]) + 0xFEE0)
        elif op == "cut_line":
            chars.insert(i, "\n")
        elif op == "join_lines" and chars[i] == "\n":
            del chars[i]
    return "".join(chars)


@pytest.mark.slow
@FUZZ
@given(st.sampled_from(range(len(LAYOUTS))), st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_mutated_real_layouts_never_crash_a_stage(layout, seed, edits):
    text = mutate(LAYOUTS[layout], random.Random(seed), edits)
    start = time.process_time()
    item = parse(text.encode("utf-8"))
    assert not crashes(item)
    assert time.process_time() - start < 30


@pytest.mark.slow
def test_a_megabyte_of_report_lines_parses_within_budget():
    body = (TABLES + "\n") * (2**20 // len(TABLES.encode()) + 1)
    start = time.process_time()
    item = parse(body.encode("utf-8"))
    assert item["document"] is not None and not crashes(item)
    assert time.process_time() - start < 120


# --- what converters add: the same facts ------------------------------------------

def test_bom_and_crlf_change_no_fact():
    plain = facts(parse(TABLES.encode("utf-8")))
    assert facts(parse(b"\xef\xbb\xbf" + TABLES.encode("utf-8"))) == plain
    assert facts(parse(TABLES.replace("\n", "\r\n").encode("utf-8"))) == plain


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])
def test_zero_width_characters_in_prose_and_titles_change_no_fact(char):
    rng = random.Random(3)
    lines = []
    for line in TABLES.split("\n"):
        if "\t" not in line and line and rng.random() < 0.5:     # prose and table titles
            i = rng.randrange(len(line) + 1)
            line = line[:i] + char + line[i:]
        lines.append(line)
    assert facts(parse("\n".join(lines).encode("utf-8"))) == facts(parse(TABLES.encode("utf-8")))


def test_a_zero_width_space_in_a_table_number_keeps_the_table():
    title = next(t for t in TABLES.split("\n") if "表" in t and ("公开" in t or "部门" in t))
    marked = TABLES.replace(title, title.replace("表", "\u200b表", 1), 1)
    assert facts(parse(marked.encode("utf-8"))) == facts(parse(TABLES.encode("utf-8")))


@pytest.mark.parametrize("space", ["\u00a0", "\u3000"])
def test_nbsp_and_ideographic_spaces_in_prose_change_no_fact(space):
    lines = [t.replace(" ", space) if "\t" not in t else t for t in TABLES.split("\n")]
    assert facts(parse("\n".join(lines).encode("utf-8"))) == facts(parse(TABLES.encode("utf-8")))


KANGXI = {"一": "\u2f00", "文": "\u2f42", "方": "\u2f45", "人": "\u2f08", "大": "\u2f24"}


@pytest.mark.parametrize("text", [SELF_EVAL, TABLES], ids=["self_evaluation", "budget"])
def test_kangxi_radicals_from_pdf_fonts_change_no_fact(text):
    variant = "".join(KANGXI.get(ch, ch) for ch in text)
    assert variant != text
    assert facts(parse(variant.encode("utf-8"))) == facts(parse(text.encode("utf-8")))
