-- One project of one reporting unit, as named in its reports (execution
-- lines and self-evaluation tables).

with

executions as (

    select department_id, project_name, fiscal_year, document_id
    from {{ ref('fct_project_executions') }}

),

evaluated as (

    select department_id, project_name, fiscal_year, document_id
    from {{ ref('fct_indicator_results') }}
    where scope = 'project' and project_name is not null

),

named as (

    select * from executions
    union all
    select * from evaluated

),

final as (

    select
        md5(department_id || '|' || project_name) as project_id,
        department_id,
        project_name,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(distinct document_id)::integer as document_count
    from named
    group by department_id, project_name

)

select * from final
