-- Whose budget execution is lowest? Per unit and year, budget execution in
-- percent (the narrative's per-code finals over initial budgets where the
-- 决算 states them, else projects' executed over budget; the basis column
-- says which), with the projects that executed least beside it.
with

years as (

    select * from marts.rpt_department_years
    where phase = 'final'

),

projects as (

    select department_id, fiscal_year,
           string_agg(project_name || ' ' || coalesce(execution_rate_pct::varchar, '?') || '%',
                      '; ' order by execution_rate_pct nulls last) as projects_by_execution
    from marts.fct_project_executions
    group by all

)

select
    years.department_name,
    years.fiscal_year,
    years.budget_execution_pct,
    years.budget_execution_basis,
    years.project_count,
    projects.projects_by_execution
from years
left join projects using (department_id, fiscal_year)
order by years.budget_execution_pct nulls last
