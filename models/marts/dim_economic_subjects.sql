-- One 支出经济分类 code (类 3 digits, 款 5): the reference list (partial)
-- plus every code printed in a report's basic-expenditure table.

with

reference as (

    select code, name from {{ ref('economic_subjects') }}

),

seen as (

    select * from {{ ref('int_subject_names_seen') }}
    where subject_family = 'economic'

),

seen_names as (

    select
        subject_code as code,
        first(line_name order by document_count desc, line_name) as printed_name,
        count(distinct line_name)::integer as printed_name_count
    from seen
    group by subject_code

),

codes as (

    select code from reference
    union
    select code from seen_names

),

final as (

    select
        codes.code as economic_code,
        coalesce(reference.name, seen_names.printed_name) as economic_name,
        case length(codes.code) when 3 then 1 when 5 then 2 end as level,
        case when length(codes.code) = 5 then left(codes.code, 3) end as parent_code,
        reference.code is not null as in_reference,
        coalesce(seen_names.printed_name_count, 0) as printed_name_count
    from codes
    left join reference on codes.code = reference.code
    left join seen_names on codes.code = seen_names.code

)

select * from final
