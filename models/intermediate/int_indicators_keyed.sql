-- Every performance-indicator row with its document's unit and year and
-- the keys of the indicator and (for project scope) the project it
-- measures, before the dimension and the fact are built from it. The
-- indicator is known by the key of its printed name (or, for an item of a
-- scoring sheet that names only its levels, of its 二级 / 一级 name), mapped
-- to a canonical indicator by the reviewed seed `indicator_catalogue`
-- (first matching pattern by priority). Grain: one indicator row.

with

indicators as (

    select * from {{ ref('stg_raw__indicators') }}

),

documents as (

    select * from {{ ref('int_documents_identified') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

named as (

    select
        indicators.*,
        documents.department_id,
        documents.fiscal_year,
        coalesce(indicators.indicator_name, indicators.level2,
                 indicators.level1) as indicator_label,
        {{ name_key('coalesce(indicators.indicator_name, indicators.level2, '
                    'indicators.level1)') }} as indicator_key,
        {{ name_key('indicators.project_name') }} as project_key
    from indicators
    inner join documents
        on indicators.document_id = documents.document_id

),

keys as (

    select distinct indicator_key, indicator_label from named

),

mapped as (

    select
        keys.indicator_key,
        catalogue.canonical_indicator,
        catalogue.name_zh as canonical_name,
        catalogue.unit as canonical_unit,
        row_number() over (
            partition by keys.indicator_key
            order by catalogue.priority, catalogue.canonical_indicator
        ) as preference
    from keys
    left join catalogue
        on regexp_matches(keys.indicator_label, catalogue.pattern)
        or regexp_matches(keys.indicator_key, catalogue.pattern)

),

keyed as (

    select
        named.*,
        'ind_' || left(md5(named.indicator_key), 12) as indicator_id,
        case when named.project_key is not null
            then 'prj_' || left(md5(named.department_id || '|'
                                    || named.project_key), 12)
        end as project_id,
        mapped.canonical_indicator,
        mapped.canonical_name,
        mapped.canonical_unit
    from named
    left join mapped
        on named.indicator_key = mapped.indicator_key
        and mapped.preference = 1

)

select * from keyed
