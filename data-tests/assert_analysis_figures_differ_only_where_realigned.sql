-- A line fact's analysis figure is its printed figure unless the report's
-- own tables prove another reading: an `as_printed` cell has the printed
-- amount, an `excluded` cell none, and a `realigned` cell belongs to a table
-- with a misaligned_columns issue and names the tables that support it.
-- Returns the cells that break this; none is expected.

with

lines as (

    select * from {{ ref('fct_functional_lines') }}

),

issues as (

    select document_id, location
    from {{ ref('fct_data_quality_issues') }}
    where kind = 'misaligned_columns'

)

select lines.line_id, lines.figure_basis
from lines
where (lines.figure_basis = 'as_printed'
        and lines.analysis_amount_wan_yuan is distinct from lines.amount_wan_yuan)
    or (lines.figure_basis = 'excluded'
        and lines.analysis_amount_wan_yuan is not null)
    or (lines.figure_basis = 'realigned'
        and (lines.figure_basis_source is null
             or not exists (
                 select 1 from issues
                 where issues.document_id = lines.document_id
                     and regexp_extract(issues.location, '([0-9]+)', 1)
                         = lines.table_no
             )))
