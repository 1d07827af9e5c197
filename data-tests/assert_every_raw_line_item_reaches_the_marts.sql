-- Reconciliation: every amount cell the parsers loaded reaches a fact table
-- (functional or economic lines); only the 三公 categories, which are
-- served as metrics, stay behind. Returns the documents where counts differ.
with

raw_cells as (

    select document_id, count(*) as n
    from {{ ref('stg_raw__line_items') }}
    where table_kind is distinct from 'three_public'
    group by document_id

),

mart_cells as (

    select document_id, count(*) as n
    from (
        select document_id from {{ ref('fct_functional_lines') }}
        union all
        select document_id from {{ ref('fct_economic_lines') }}
    ) as cells
    group by document_id

)

select raw_cells.document_id, raw_cells.n as raw_cells, coalesce(mart_cells.n, 0) as mart_cells
from raw_cells
left join mart_cells using (document_id)
where raw_cells.n <> coalesce(mart_cells.n, 0)
