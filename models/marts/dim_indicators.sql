-- One indicator, known by the key of its printed name (int_indicators_keyed),
-- with the canonical indicator it measures (seed `indicator_catalogue`).
-- Unmapped names stay, with NULLs. Grain: one indicator_id.

with

indicators as (

    select * from {{ ref('int_indicators_keyed') }}

),

-- the name a key is printed with most often
preferred_names as (

    select
        indicator_id,
        first(indicator_label order by printed_count desc, indicator_label asc)
            as indicator_name
    from (
        select indicator_id, indicator_label, count(*) as printed_count
        from indicators
        group by 1, 2
    ) as printed
    group by 1

),

aggregated as (

    select
        indicator_id,
        bool_or(indicator_name is not null) as is_named,
        count(distinct indicator_label)::integer as printed_name_count,
        first(level1 order by level1 nulls last) as level1,
        first(level2 order by level2 nulls last) as level2,
        any_value(canonical_indicator) as canonical_indicator,
        any_value(canonical_name) as canonical_name,
        any_value(canonical_unit) as canonical_unit,
        bool_or(canonical_indicator is not null) as is_mapped,
        count(*)::integer as result_count,
        count(distinct document_id)::integer as document_count
    from indicators
    group by 1

),

final as (

    select
        aggregated.indicator_id,
        preferred_names.indicator_name,
        aggregated.is_named,
        aggregated.printed_name_count,
        aggregated.level1,
        aggregated.level2,
        aggregated.canonical_indicator,
        aggregated.canonical_name,
        aggregated.canonical_unit,
        aggregated.is_mapped,
        aggregated.result_count,
        aggregated.document_count
    from aggregated
    inner join preferred_names
        on aggregated.indicator_id = preferred_names.indicator_id

)

select * from final
