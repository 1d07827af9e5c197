-- “三公”经费: budget against actual per unit and year. budget_wan_yuan is
-- what the unit's 部门预算 for the year planned, initial_budget_wan_yuan the
-- 年初预算 its 部门决算 states, final_wan_yuan what the 决算 says was spent.
-- execution_pct above 100 means more was spent than budgeted (against the
-- 预算 where the warehouse holds it, else against the 年初预算; see
-- execution_basis).
select
    departments.department_name,
    comparison.fiscal_year,
    comparison.budget_wan_yuan,
    comparison.initial_budget_wan_yuan,
    comparison.final_wan_yuan,
    comparison.execution_pct,
    comparison.execution_basis
from marts.rpt_budget_vs_final as comparison
inner join marts.dim_departments as departments
    on comparison.department_id = departments.department_id
where comparison.line_kind = 'three_public'
order by comparison.execution_pct desc nulls last
