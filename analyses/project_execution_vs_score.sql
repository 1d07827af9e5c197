-- Projects that spent little of their budget but scored themselves high.
-- score_minus_execution is the self-score (out of 100) minus the execution
-- rate (percent): a large positive gap means a project rated well despite
-- leaving most of its money unspent.
select
    departments.department_name,
    projects.fiscal_year,
    projects.project_name,
    projects.annual_budget_wan_yuan,
    projects.executed_wan_yuan,
    projects.execution_rate_pct,
    projects.score,
    projects.score - projects.execution_rate_pct as score_minus_execution,
    projects.source_line
from marts.fct_project_executions as projects
inner join marts.dim_departments as departments using (department_id)
order by score_minus_execution desc nulls last
