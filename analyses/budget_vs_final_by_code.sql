-- Where did units spend more, or less, than budgeted? Per unit, year and
-- 功能分类 code: the 部门预算's amount, the 年初预算 its 部门决算 states, the
-- final amount and the execution rate, largest deviations from 100 % first.
-- Each figure names the document and the statement it was read from; a
-- figure_basis of realigned means a shifted table was read on the alignment
-- the report's other tables prove.
select
    departments.department_name,
    comparison.fiscal_year,
    comparison.functional_code,
    comparison.line_name,
    comparison.budget_wan_yuan,
    comparison.initial_budget_wan_yuan,
    comparison.final_wan_yuan,
    comparison.execution_pct,
    comparison.execution_basis,
    comparison.final_basis,
    comparison.figure_basis
from marts.rpt_budget_vs_final as comparison
inner join marts.dim_departments as departments
    on comparison.department_id = departments.department_id
where comparison.line_kind = 'functional'
order by abs(coalesce(comparison.execution_pct, 100) - 100) desc,
    departments.department_name, comparison.functional_code asc
