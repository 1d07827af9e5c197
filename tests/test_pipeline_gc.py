"""The per-file parse pauses the cyclic garbage collector (``pipeline.cyclic_gc_paused``):
the collector is back on after every file, whatever happened in it; a pause
someone else holds is left alone; cycles made during the parse are still
collected afterwards; and a parsed document is not kept alive past its file."""
from __future__ import annotations

import gc
import hashlib
import sys
import weakref
from pathlib import Path

import pytest

from ingest import pipeline, readers
from ingest.checks import prose

SEED = sorted((Path(__file__).resolve().parent.parent / "corpus" / "seeds").glob("001_*.txt"))[0]


def _job(data: bytes, name: str = "a.txt"):
    return (name, data, hashlib.sha256(data).hexdigest())


@pytest.fixture
def gc_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_parse_file_pauses_the_collector_and_turns_it_back_on(gc_on, monkeypatch):
    seen = []
    real = pipeline._parse_file
    monkeypatch.setattr(pipeline, "_parse_file", lambda job: seen.append(gc.isenabled()) or real(job))
    item = pipeline.parse_file(_job(SEED.read_bytes()))
    assert item["document"] is not None
    assert seen == [False] and gc.isenabled()


def test_the_collector_is_back_on_after_a_failing_or_unreadable_file(gc_on, monkeypatch):
    assert pipeline.parse_file(_job(b""))["errors"]          # undecodable: an error item
    assert gc.isenabled()

    def boom(job):
        raise RuntimeError("broken")
    monkeypatch.setattr(pipeline, "_parse_file", boom)
    assert "broken" in pipeline.parse_file(_job(SEED.read_bytes()))["errors"][0]["reason"]
    assert gc.isenabled()


def test_a_pause_held_by_the_caller_is_left_to_it(gc_on):
    gc.disable()
    try:
        pipeline.parse_file(_job(SEED.read_bytes()))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_made_during_the_parse_are_collected_after_it(gc_on, monkeypatch):
    class Node:
        pass

    made = []
    real = pipeline._parse_file

    def with_a_cycle(job):
        a, b = Node(), Node()
        a.other, b.other = b, a
        made.append(weakref.ref(a))
        return real(job)

    monkeypatch.setattr(pipeline, "_parse_file", with_a_cycle)
    pipeline.parse_file(_job(SEED.read_bytes()))
    gc.collect()
    assert made[0]() is None


def test_the_checks_context_does_not_keep_the_document(gc_on, monkeypatch):
    docs = []
    real = readers.read
    monkeypatch.setattr(readers, "read", lambda data, name: docs.append(real(data, name)) or docs[-1])
    pipeline.parse_file(_job(SEED.read_bytes()))
    held = sys.getrefcount(docs[0])   # (outside an assert: pytest's rewriting holds its operands)
    assert held == 2                  # this test's list and the call's argument: no one else
    assert not prose._LAST
