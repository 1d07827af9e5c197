-- One reporting unit (a bureau, a service centre, another department).
-- Its region is the one most of its documents resolve to.

with

documents as (

    select * from {{ ref('int_documents_identified') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by department_id
            order by (province is null), (division_code is null),
                     fiscal_year desc nulls last, document_id asc
        ) as preference
    from documents

),

document_counts as (

    select department_id, count(*) as document_count
    from documents
    group by department_id

),

final as (

    select
        ranked.department_id,
        ranked.department_key as department_name,
        ranked.department_name is not null as is_identified,
        ranked.province,
        ranked.city,
        ranked.county,
        ranked.admin_level,
        ranked.division_code,
        ranked.unit_kind,
        document_counts.document_count::integer as document_count
    from ranked
    inner join document_counts
        on ranked.department_id = document_counts.department_id
    where ranked.preference = 1

)

select * from final
