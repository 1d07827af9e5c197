-- How one unit's spending in one document divides among 功能分类 类 and 款:
-- the 项 rows of its 支出决算表 / 支出预算表 (total column) summed to their
-- 款 and 类, as shares of the table's 本年支出合计, with the change against
-- the unit's previous year of the same phase (fiscal year - 1, where that
-- year has one document with the 款). Amounts are the line facts'
-- analysis figures; each row carries the weakest basis of its 项 cells.
-- Grain: one (document_id, section_code).

with

lines as (

    select * from {{ ref('fct_functional_lines') }}
    where table_kind = 'expenditure' and measure = 'total'

),

subjects as (

    select * from {{ ref('dim_functional_subjects') }}

),

totals as (

    select document_id, max(analysis_amount_wan_yuan) as total
    from lines
    where is_total
    group by document_id

),

by_section as (

    -- only 项 rows: the 类/款 subtotal rows of split-code tables would count twice
    select department_id, fiscal_year, phase, document_id,
           left(functional_code, 3) as class_code,
           left(functional_code, 5) as section_code,
           case when bool_or(figure_basis = 'excluded') then null
                else sum(analysis_amount_wan_yuan) end as amount,
           case when bool_or(figure_basis = 'excluded') then 'excluded'
                when bool_or(figure_basis = 'realigned') then 'realigned'
                else 'as_printed' end as figure_basis,
           string_agg(distinct figure_basis_source, ', '
                      order by figure_basis_source) as figure_basis_source
    from lines
    where length(functional_code) = 7
    group by all

),

shares as (

    select by_section.*,
           100 * by_section.amount / nullif(totals.total, 0) as share_pct,
           100 * sum(by_section.amount) over (partition by by_section.document_id, by_section.class_code)
               / nullif(totals.total, 0) as class_share_pct
    from by_section
    inner join totals using (document_id)

),

final as (

    select
        shares.department_id,
        shares.fiscal_year,
        shares.phase,
        shares.document_id,
        shares.class_code,
        class.functional_name as class_name,
        shares.section_code,
        section.functional_name as section_name,
        shares.amount::decimal(20, 6) as amount_wan_yuan,
        round(shares.share_pct, 4)::double as share_pct,
        round(shares.class_share_pct, 4)::double as class_share_pct,
        shares.figure_basis,
        shares.figure_basis_source,
        round(shares.share_pct - case when count(*) over previous_year = 1
            then max(shares.share_pct) over previous_year end, 4)::double as share_change_pp
    from shares
    left join subjects as class on shares.class_code = class.functional_code
    left join subjects as section on shares.section_code = section.functional_code
    -- the year before, of the same unit, phase and 款; a year with several
    -- documents (a unit's report and a corrected copy) names no one of them
    window previous_year as (
        partition by shares.department_id, shares.phase, shares.section_code
        order by shares.fiscal_year
        range between 1 preceding and 1 preceding
    )

)

-- sorted by unit, year and code: a dashboard's filter skips the other row groups
select * from final
order by department_id, fiscal_year, document_id, section_code
