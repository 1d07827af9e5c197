-- “三公”经费: budget against actual per unit and year, from the 三公 table
-- or the narrative. execution_pct above 100 means more was spent than
-- budgeted; NULL where the report states only one of the two.
with

metrics as (

    select * from {{ ref('fct_department_metrics') }}
    where metric in ('three_public_budget', 'three_public_actual')

),

pivoted as (

    select department_id, fiscal_year,
           max(value) filter (where metric = 'three_public_budget') as budget_wan_yuan,
           max(value) filter (where metric = 'three_public_actual') as actual_wan_yuan
    from metrics
    group by all

)

select
    departments.department_name,
    pivoted.fiscal_year,
    pivoted.budget_wan_yuan,
    pivoted.actual_wan_yuan,
    round(100 * pivoted.actual_wan_yuan / nullif(pivoted.budget_wan_yuan, 0), 2) as execution_pct
from pivoted
join {{ ref('dim_departments') }} as departments using (department_id)
order by execution_pct desc nulls last
