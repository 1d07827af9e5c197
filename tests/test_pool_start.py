"""The worker pool's fork server starts while the files are hashed, and only
when there will be a pool: two files or more to parse, not for an unchanged run."""
from __future__ import annotations

from ingest import pipeline, workers


def _files(tmp_path, n):
    out = []
    for k in range(n):
        f = tmp_path / f"r{k}.txt"
        f.write_text(f"某某县医疗保障局2024年度部门决算 {k}\n", encoding="utf-8")
        out.append(f)
    return out


def test_the_pool_starts_once_at_the_second_file_to_parse(tmp_path):
    calls = []
    tasks, _, _ = pipeline.read_plan(_files(tmp_path, 4), set(), pipeline.Summary(),
                                     lambda: calls.append(1))
    assert len(tasks) == 4 and calls == [1]


def test_no_pool_for_one_file_or_an_unchanged_run(tmp_path):
    files = _files(tmp_path, 3)
    calls = []
    pipeline.read_plan(files[:1], set(), pipeline.Summary(), lambda: calls.append(1))
    known = {t[2] for t in pipeline.plan(files, set(), pipeline.Summary())}
    summary = pipeline.Summary()
    pipeline.read_plan(files, known, summary, lambda: calls.append(1))
    assert calls == [] and summary.skipped == 3


def test_the_fork_server_preloads_every_stage_and_check():
    from ingest.checks import CHECK_MODULES
    from ingest.extract import PARSERS
    names = workers.preload()
    assert set(PARSERS) <= set(names) and set(CHECK_MODULES) <= set(names)
    assert names[:len(workers.PRELOAD)] == workers.PRELOAD


def test_results_come_in_chunk_order_whoever_computed_them():
    """While the pool starts, this process runs single items off the end itself;
    whatever it took, the results come back in the order of the chunks."""
    chunks = [list(range(k * 5, k * 5 + 5)) for k in range(30)]
    for n in (1, 2):
        got = [x for result in workers.map_in_order(sorted, chunks, n) for x in result]
        assert got == list(range(150))
