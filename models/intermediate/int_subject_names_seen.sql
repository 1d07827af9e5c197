-- The names each subject code is printed with across all reports.
-- Grain: one (subject family, code, printed name).

with

line_items as (

    select * from {{ ref('int_line_items_classified') }}

),

seen as (

    select
        subject_family,
        subject_code,
        line_name,
        count(distinct document_id) as document_count
    from line_items
    where subject_code is not null
      and line_name is not null and line_name <> ''
    group by all

)

select * from seen
