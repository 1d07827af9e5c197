"""Passages printed twice: text carried over from another report or year.

* ``TEXT_DUPLICATE_PASSAGE`` (warning, ``copy_paste_text``): a paragraph of
  50 characters or more printed again, word for word or with only its figures
  and years changed, in another section of the same file. A report that
  attaches last year's work summary and repeats its paragraphs in this year's
  one has copied them; the issue names the later copy and where the earlier
  one stands. Headings, table rows and short boilerplate are not compared.
"""
from __future__ import annotations

import re

from ingest.checks.prose import context, heading_level, heading_text, issue

MIN_LENGTH = 50            # a paragraph printed twice word for word
MIN_CHANGED_FIGURES = 90   # printed twice with other figures: only long paragraphs


def _key(text: str) -> str:
    body = text
    if heading_level(text) is not None:
        body = text[len(heading_text(text)):]  # the paragraph after a run-in heading
    return re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"^[\W_]+", "", body))


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    first: dict[str, object] = {}
    out = []
    for p in ctx.passages:
        key = _key(p.text)
        if len(key) < MIN_LENGTH or "，" not in p.text and "," not in p.text:
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = p
            continue
        if earlier.text != p.text and len(key) < MIN_CHANGED_FIGURES:
            continue  # a short formula (年初预算为…决算为…) repeated with its own figures
        if ctx.paths[earlier.first_line - 1] == ctx.paths[p.first_line - 1]:
            continue  # a passage repeated inside one section (a table note per page …)
        same = "逐字相同" if earlier.text == p.text else "仅数字不同"
        out.append(issue(
            "TEXT_DUPLICATE_PASSAGE", "warning", "copy_paste_text", ctx.where(p.first_line),
            "本节自己的文字", f"同第{earlier.first_line}行",
            f"“{p.text[:40]}…”与{ctx.where(earlier.first_line)}的段落{same},疑为沿用。",
            p.first_line))
    return out
