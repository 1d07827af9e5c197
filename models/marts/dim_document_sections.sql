-- One kind of report found in a file, with the lines it spans (a file may
-- hold several reports: a 决算 followed by an 整体自评 and 项目自评 tables).

with

sections as (

    select * from {{ ref('stg_raw__document_sections') }}

),

per_kind as (

    select
        document_id,
        report_type,
        min(start_line) as start_line,
        max(end_line) as end_line,
        count(*)::integer as section_count,
        string_agg(title, ' | ' order by start_line) as titles
    from sections
    group by document_id, report_type

)

select * from per_kind
