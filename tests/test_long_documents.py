"""Steps that once compared every item with every other (a document twice as
long cost four times as much there): each now gives what the all-pairs
definition gives, checked here against that definition on generated inputs."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.checks import selfeval_checks, sums
from ingest.checks.prose import TOLERANCE
from ingest.parsers.evaluation.model import EvalTable
from ingest.parsers.sections import _next_other_kind

# figures in 万元 with two places, some a cent or two apart (at the tolerance's edge)
_CENTS = st.integers(min_value=0, max_value=400).map(lambda c: Decimal(c).scaleb(-2))
_STATED = st.lists(st.tuples(_CENTS, st.none()), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_STATED, _STATED, _STATED)
def test_basic_plus_project_lookup_is_every_triple(totals, basics, projects):
    every_triple = any(abs(b + p - t) <= TOLERANCE
                       for t, _ in totals for b, _ in basics for p, _ in projects)
    assert sums._sums_to_a_total(totals, basics, projects) == every_triple


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["final_accounts", "budget", "self_evaluation"]), max_size=12))
def test_next_heading_of_another_kind_is_the_first_after_it(kinds):
    found = [(3 * n + 1, kind, f"title {n}") for n, kind in enumerate(kinds)]
    naive = [next((j for j, k, _ in found[n + 1:] if k != kind), None)
             for n, (_, kind, _) in enumerate(found)]
    assert _next_other_kind(found) == naive


def _table(project: str | None, line: int, scope: str = "project") -> EvalTable:
    table = EvalTable("standard", scope, project, line - 1)
    table.goal_target, table.goal_line = "完成年度医保基金监管全覆盖任务", line
    return table


def test_copied_goal_source_is_the_first_printed():
    """No table is the department's and the goal names no project: the first
    printed is the source, the others its copies."""
    found = selfeval_checks.check_copied_goals([_table("乙项目", 10), _table("甲项目", 20), _table("丙项目", 30)])
    assert [issue["source_line"] for issue in found] == [20, 30]
    assert all("乙项目" in issue["description"] for issue in found)


def test_copied_goal_source_among_equal_tables():
    """Two tables equal field by field (the same table read twice): the first is the source."""
    first = _table("甲项目", 10)
    found = selfeval_checks.check_copied_goals([first, _table("乙项目", 20), _table("甲项目", 10)])
    assert sorted(issue["source_line"] for issue in found) == [10, 20]
    assert all("甲项目" in issue["description"] for issue in found)


def test_copied_goal_source_is_the_department_table():
    found = selfeval_checks.check_copied_goals(
        [_table("甲项目", 10), _table(None, 20, scope="department"), _table("乙项目", 30)])
    assert [issue["source_line"] for issue in found] == [10, 30]
    assert all("部门整体" in issue["description"] for issue in found)
