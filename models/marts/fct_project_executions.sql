-- One project's budget execution as a report states it (from a
-- self-evaluation table, a 基础数据表 or a prose list).

with

projects as (

    select * from {{ ref('stg_raw__projects') }}

),

documents as (

    select * from {{ ref('int_documents_identified') }}

),

final as (

    select
        {{ surrogate_key(['projects.document_id', 'projects.project_name', 'projects.origin',
                          'projects.source_line']) }} as project_execution_id,
        projects.document_id,
        documents.department_id,
        documents.fiscal_year,
        projects.project_name,
        projects.initial_budget_wan_yuan,
        projects.annual_budget_wan_yuan,
        projects.executed_wan_yuan,
        projects.execution_rate_pct,
        projects.score,
        projects.origin,
        projects.source_line
    from projects
    inner join documents on projects.document_id = documents.document_id

)

select * from final
