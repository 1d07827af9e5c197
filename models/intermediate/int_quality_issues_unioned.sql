-- Every failed check of a report against itself, with the files or parsers
-- that failed on a document beside them (a parser that failed loses that
-- document's facts of its kind: an analyst must see it next to the other
-- issues), tied to the document's unit and year, each issue once. The
-- severity is the issue's own, else its check's in the catalogue.
-- Grain: one distinct issue in one document.

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

    select
        issues.document_id, issues.check_id, issues.severity, issues.kind, issues.location,
        issues.expected, issues.observed, issues.description, issues.source_line,
        issues.source_page, issues.source_locator
    from issues
    union all
    select * from parser_failures

),

unioned as (

    select distinct * from unioned_all

),

final as (

    select
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
