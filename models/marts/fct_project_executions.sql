-- One project's budget execution as a report states it (from a
-- self-evaluation table, a 基础数据表 or a prose list), keyed to its project
-- (int_project_executions_keyed). Grain: one project line in a report.

with

projects as (

    select * from {{ ref('int_project_executions_keyed') }}

),

final as (

    select
        {{ surrogate_key(['projects.document_id', 'projects.project_name', 'projects.origin',
                          'projects.source_line']) }} as project_execution_id,
        projects.document_id,
        projects.department_id,
        projects.fiscal_year,
        projects.project_id,
        projects.project_name,
        projects.initial_budget_wan_yuan,
        projects.annual_budget_wan_yuan,
        projects.executed_wan_yuan,
        projects.execution_rate_pct,
        projects.score,
        projects.origin,
        projects.source_line,
        projects.source_page,
        projects.source_locator,
        projects.source_ocr_confidence as ocr_confidence
    from projects

)

select * from final
