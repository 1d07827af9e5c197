-- How is each unit's spending structured, by 功能分类 类 and 款, and how did
-- it change from one year to the next? Shares are of the unit's 本年支出合计
-- in its 支出决算表 (phase final) or 支出预算表 (phase budget); yoy_change_pp
-- is the change in percentage points against the unit's previous year of the
-- same phase (NULL where there is none).
with

lines as (

    select * from {{ ref('fct_functional_lines') }}
    where table_kind = 'expenditure' and measure = 'total'

),

subjects as (

    select * from {{ ref('dim_functional_subjects') }}

),

totals as (

    select document_id, max(amount_wan_yuan) as total
    from lines where is_total
    group by document_id

),

by_section as (

    -- 项 rows summed to their 款 (subtotal rows of split-code tables excluded)
    select lines.department_id, lines.fiscal_year, lines.phase, lines.document_id,
           left(lines.functional_code, 3) as class_code,
           left(lines.functional_code, 5) as section_code,
           sum(lines.amount_wan_yuan) as amount
    from lines
    where length(lines.functional_code) = 7
    group by all

),

shares as (

    select by_section.*,
           round(100 * by_section.amount / nullif(totals.total, 0), 2) as share_pct
    from by_section join totals using (document_id)

)

select
    departments.department_name,
    shares.fiscal_year,
    shares.phase,
    shares.class_code,
    class.functional_name as class_name,
    shares.section_code,
    section.functional_name as section_name,
    shares.amount as amount_wan_yuan,
    shares.share_pct,
    shares.share_pct - lag(shares.share_pct) over (
        partition by shares.department_id, shares.phase, shares.section_code
        order by shares.fiscal_year) as yoy_change_pp
from shares
join {{ ref('dim_departments') }} as departments using (department_id)
left join subjects as class on class.functional_code = shares.class_code
left join subjects as section on section.functional_code = shares.section_code
order by departments.department_name, shares.fiscal_year, shares.share_pct desc
