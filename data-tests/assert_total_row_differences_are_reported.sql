-- Reconciliation: where a table's 合计 row differs from the sum of its
-- top-level rows (recomputed here in SQL, independently of the parser's
-- checks), the warehouse must hold a `tables_total_row` issue for that
-- table and column. Figures stay as printed; the contradiction is data.
with

lines as (

    select * from {{ ref('fct_functional_lines') }}
    where table_no is not null
      and table_kind in ('income', 'expenditure', 'gpb_expenditure')

),

top_level as (

    select document_id, table_no, measure_label, min(length(functional_code)) as code_length
    from lines
    where functional_code is not null
    group by all

),

recomputed as (

    select lines.document_id, lines.table_no, lines.measure_label,
           sum(lines.amount_wan_yuan) as rows_sum
    from lines
    inner join top_level using (document_id, table_no, measure_label)
    where length(lines.functional_code) = top_level.code_length
    group by all

),

printed as (

    select document_id, table_no, measure_label, amount_wan_yuan as total
    from lines
    where line_code = 'TOTAL'

),

differences as (

    select printed.*, recomputed.rows_sum
    from printed
    inner join recomputed using (document_id, table_no, measure_label)
    where printed.total <> recomputed.rows_sum

),

reported as (

    select document_id, location
    from {{ ref('fct_data_quality_issues') }}
    where check_id = 'tables_total_row'

)

select differences.*
from differences
where not exists (
    select 1 from reported
    where reported.document_id = differences.document_id
      and reported.location like 'table ' || differences.table_no || '%'
      and replace(reported.location, ' ', '') like '%' || differences.measure_label
)
