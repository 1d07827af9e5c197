-- One fiscal year that any ingested document accounts for.

with

documents as (

    select * from {{ ref('dim_documents') }}
    where fiscal_year is not null

),

final as (

    select
        fiscal_year,
        count(*)::integer as document_count,
        count(distinct department_id)::integer as department_count,
        count(*) filter (where phase = 'final')::integer as final_document_count,
        count(*) filter (where phase = 'budget')::integer as budget_document_count
    from documents
    group by fiscal_year

)

select * from final
