-- One failed consistency check in one report: the parsers' checks of a
-- report against itself, plus files or parsers that failed on it.

with

issues as (

    select * from {{ ref('stg_raw__quality_issues') }}

),

ingest_errors as (

    select * from {{ ref('stg_raw__ingest_errors') }}

),

documents as (

    select * from {{ ref('int_documents_identified') }}

),

checks as (

    select * from {{ ref('data_quality_checks') }}

),

parser_failures as (

    -- A parser that failed on a document loses that document's facts of its
    -- kind: an analyst must see it next to the other issues.
    select
        documents.document_id,
        'ingest_parser_failed' as check_id,
        'error' as severity,
        'parser_failure' as kind,
        ingest_errors.stage as location,
        null as expected,
        null as observed,
        ingest_errors.reason as description,
        ingest_errors.source_line,
        null as source_page,
        null as source_locator
    from ingest_errors
    inner join documents on ingest_errors.source_file = documents.source_file

),

unioned_all as (

    select document_id, check_id, severity, kind, location, expected, observed,
           description, source_line, source_page, source_locator
    from issues
    union all
    select * from parser_failures

),

unioned as (

    select distinct * from unioned_all

),

final as (

    select
        {{ surrogate_key(['unioned.document_id', 'unioned.check_id', 'unioned.location',
                          'unioned.expected', 'unioned.observed', 'unioned.source_line',
                          'unioned.description']) }} as issue_id,
        unioned.document_id,
        documents.department_id,
        documents.fiscal_year,
        unioned.check_id,
        coalesce(unioned.severity, checks.severity) as severity,
        unioned.kind,
        unioned.location,
        unioned.expected,
        unioned.observed,
        unioned.description,
        unioned.source_line,
        unioned.source_page,
        unioned.source_locator,
        checks.compares as check_compares
    from unioned
    inner join documents on unioned.document_id = documents.document_id
    left join checks on unioned.check_id = checks.check_id

)

select * from final
