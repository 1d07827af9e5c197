-- One 支出功能分类 code (类 3 digits, 款 5, 项 7): the reference list
-- (partial) plus every code printed in a report, with its printed name.

with

reference as (

    select code, name from {{ ref('functional_subjects') }}

),

seen as (

    select * from {{ ref('int_subject_names_seen') }}
    where subject_family = 'functional'

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

named as (

    select
        codes.code,
        coalesce(reference.name, seen_names.printed_name) as name,
        reference.code is not null as in_reference,
        coalesce(seen_names.printed_name_count, 0) as printed_name_count
    from codes
    left join reference on codes.code = reference.code
    left join seen_names on codes.code = seen_names.code

),

final as (

    select
        named.code as functional_code,
        named.name as functional_name,
        case length(named.code) when 3 then 1 when 5 then 2 when 7 then 3 end as level,
        left(named.code, 3) as class_code,
        class.name as class_name,
        case when length(named.code) >= 5 then left(named.code, 5) end as section_code,
        section.name as section_name,
        named.in_reference,
        named.printed_name_count
    from named
    left join named as class on class.code = left(named.code, 3)
    left join named as section
        on length(named.code) >= 5 and section.code = left(named.code, 5)

)

select * from final
