-- One 支出功能分类 code (类 3 digits, 款 5, 项 7): the reference list
-- (partial) plus every code printed in a report, with its printed name.

with

named as (

    select * from {{ ref('int_subjects_named') }}
    where subject_family = 'functional'

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
