-- Every amount cell with its document's identity and the subject code it is
-- classified by, split into the functional (功能分类) and economic (经济分类)
-- families. Grain: one amount cell (or one narrative per-code figure).

with

line_items as (

    select * from {{ ref('stg_raw__line_items') }}

),

documents as (

    select * from {{ ref('int_documents_identified') }}

),

classified as (

    select
        line_items.*,
        documents.department_id,
        documents.fiscal_year,
        documents.phase,
        case when line_items.table_kind = 'basic_economic' then 'economic'
             else 'functional' end as subject_family,
        line_items.code in ('TOTAL', 'TOTAL_PERSONNEL', 'TOTAL_PUBLIC') as is_total,
        case when regexp_full_match(line_items.code, '[0-9]{3}([0-9]{2}){0,2}')
             then line_items.code end as subject_code
    from line_items
    inner join documents
        on line_items.document_id = documents.document_id
    where line_items.table_kind is distinct from 'three_public'

)

select * from classified
