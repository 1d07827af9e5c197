-- Every project execution line with its document's unit and year and the
-- key of the project: the unit and the key of the project's printed name
-- (the same key int_indicators_keyed gives a project's indicators), before
-- the dimension and the fact are built from it. Grain: one project line.

with

projects as (

    select * from {{ ref('stg_raw__projects') }}

),

documents as (

    select * from {{ ref('int_documents_identified') }}

),

keyed as (

    select
        projects.*,
        documents.department_id,
        documents.fiscal_year,
        {{ name_key('projects.project_name') }} as project_key,
        'prj_' || left(md5(documents.department_id || '|'
                           || {{ name_key('projects.project_name') }}), 12)
            as project_id
    from projects
    inner join documents
        on projects.document_id = documents.document_id

)

select * from keyed
