-- rpt_budget_vs_final's final column is the 决算's own figure: where it was
-- read from a table, the same document's table prints that code with that
-- analysis figure (and, where the basis is as_printed, that printed
-- amount); and every code of a 决算's 支出决算表 that the same unit's 预算 or
-- narrative budgets appears. Returns the rows that don't tie; none expected.

with

report as (

    select * from {{ ref('rpt_budget_vs_final') }}
    where line_kind = 'functional'

),

lines as (

    select * from {{ ref('fct_functional_lines') }}
    where phase = 'final' and measure = 'total' and functional_code is not null

),

untied as (

    select report.department_id, report.fiscal_year, report.line_key,
           'final differs from its table' as problem
    from report
    where report.final_basis like '%table%'
        and not exists (
            select 1
            from lines
            where lines.document_id = report.final_document_id
                and lines.functional_code = report.functional_code
                and report.final_basis
                    = lines.table_kind || ' table ' || coalesce(lines.table_no, '')
                and lines.analysis_amount_wan_yuan
                    is not distinct from report.final_wan_yuan
                and (lines.figure_basis <> 'as_printed'
                     or lines.amount_wan_yuan = report.final_wan_yuan)
        )

),

missing as (

    select lines.department_id, lines.fiscal_year,
           lines.functional_code as line_key,
           'budgeted final code missing' as problem
    from lines
    where lines.table_kind = 'expenditure'
        and exists (
            select 1 from {{ ref('int_budget_final_figures') }} as figures
            where figures.department_id = lines.department_id
                and figures.fiscal_year = lines.fiscal_year
                and figures.line_key = lines.functional_code
                and figures.figure in ('budget', 'initial_budget')
        )
        and not exists (
            select 1 from report
            where report.department_id = lines.department_id
                and report.fiscal_year = lines.fiscal_year
                and report.line_key = lines.functional_code
        )

)

select * from untied
union all
select * from missing
