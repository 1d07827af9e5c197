-- Every subject code of both classifications with its best name: the
-- reference list's (partial) where it has the code, else the name reports
-- print most often. Grain: one (subject_family, code).

with

reference as (

    select 'functional' as subject_family, code, name from {{ ref('functional_subjects') }}
    union all
    select 'economic' as subject_family, code, name from {{ ref('economic_subjects') }}

),

seen_names as (

    select
        subject_family,
        subject_code as code,
        first(line_name order by document_count desc, line_name asc) as printed_name,
        count(distinct line_name)::integer as printed_name_count
    from {{ ref('int_subject_names_seen') }}
    group by subject_family, subject_code

),

codes as (

    select subject_family, code from reference
    union
    select subject_family, code from seen_names

),

named as (

    select
        codes.subject_family,
        codes.code,
        coalesce(reference.name, seen_names.printed_name) as name,
        reference.code is not null as in_reference,
        coalesce(seen_names.printed_name_count, 0) as printed_name_count
    from codes
    left join reference using (subject_family, code)
    left join seen_names using (subject_family, code)

)

select * from named
