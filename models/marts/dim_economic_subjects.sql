-- One 支出经济分类 code (类 3 digits, 款 5): the reference list (partial)
-- plus every code printed in a report's basic-expenditure table.

with

named as (

    select * from {{ ref('int_subjects_named') }}
    where subject_family = 'economic'

),

final as (

    select
        code as economic_code,
        name as economic_name,
        case length(code) when 3 then 1 when 5 then 2 end as level,
        case when length(code) = 5 then left(code, 3) end as parent_code,
        in_reference,
        printed_name_count
    from named

)

select * from final
