-- Reconciliation: the comparison mart's total expenditure of a unit, year
-- and phase equals the 本年支出合计 printed in that unit's 支出决算表 (final)
-- or 支出预算表 (budget) of the same phase.
with

printed as (

    select department_id, fiscal_year, phase, max(amount_wan_yuan) as total
    from {{ ref('fct_functional_lines') }}
    where table_kind = 'expenditure' and is_total and measure = 'total'
    group by all

)

select rpt.department_id, rpt.fiscal_year, rpt.phase,
       rpt.total_expenditure_wan_yuan, printed.total
from {{ ref('rpt_department_years') }} as rpt
inner join printed using (department_id, fiscal_year, phase)
where rpt.total_expenditure_wan_yuan is distinct from printed.total
