-- One indicator name as printed, with the canonical indicator it measures
-- (from the reviewed seed `indicator_catalogue`: the first pattern, by
-- priority, that the name matches). Unmapped names stay, with NULLs.

with

results as (

    select * from {{ ref('fct_indicator_results') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

names as (

    select
        indicator_name,
        count(*)::integer as result_count,
        count(distinct document_id)::integer as document_count,
        first(level1 order by level1 nulls last) as level1,
        first(level2 order by level2 nulls last) as level2
    from results
    where indicator_name is not null
    group by indicator_name

),

matched as (

    select
        names.*,
        catalogue.canonical_indicator,
        catalogue.name_zh as canonical_name,
        catalogue.unit as canonical_unit,
        row_number() over (partition by names.indicator_name
                           order by catalogue.priority, catalogue.canonical_indicator) as preference
    from names
    left join catalogue on regexp_matches(names.indicator_name, catalogue.pattern)

),

final as (

    select
        md5(indicator_name) as indicator_id,
        indicator_name,
        level1,
        level2,
        canonical_indicator,
        canonical_name,
        canonical_unit,
        canonical_indicator is not null as is_mapped,
        result_count,
        document_count
    from matched
    where preference = 1

)

select * from final
