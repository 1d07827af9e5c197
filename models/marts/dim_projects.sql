-- One project of one reporting unit, known by the unit and the key of the
-- project's printed name (int_project_executions_keyed,
-- int_indicators_keyed): execution lines and self-evaluation tables.
-- Grain: one project_id.

with

executions as (

    select project_id, department_id, project_name, fiscal_year, document_id
    from {{ ref('int_project_executions_keyed') }}
    where project_id is not null

),

evaluated as (

    select project_id, department_id, project_name, fiscal_year, document_id
    from {{ ref('int_indicators_keyed') }}
    where scope = 'project' and project_id is not null

),

named as (

    select * from executions
    union all
    select * from evaluated

),

preferred_names as (

    select
        project_id,
        first(project_name order by printed_count desc, project_name asc)
            as project_name
    from (
        select project_id, project_name, count(*) as printed_count
        from named
        group by 1, 2
    ) as printed
    group by 1

),

aggregated as (

    select
        project_id,
        any_value(department_id) as department_id,
        count(distinct project_name)::integer as printed_name_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(distinct document_id)::integer as document_count
    from named
    group by 1

),

final as (

    select
        aggregated.project_id,
        aggregated.department_id,
        preferred_names.project_name,
        aggregated.printed_name_count,
        aggregated.first_fiscal_year,
        aggregated.last_fiscal_year,
        aggregated.document_count
    from aggregated
    inner join preferred_names
        on aggregated.project_id = preferred_names.project_id

)

select * from final
