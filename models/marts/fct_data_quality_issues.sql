-- One failed consistency check in one report: the parsers' checks of a
-- report against itself, plus files or parsers that failed on it
-- (int_quality_issues_unioned). Grain: one failed check in one report.

with

issues as (

    select * from {{ ref('int_quality_issues_unioned') }}

),

final as (

    select
        {{ surrogate_key(['issues.document_id', 'issues.check_id', 'issues.location',
                          'issues.expected', 'issues.observed', 'issues.source_line',
                          'issues.description']) }} as issue_id,
        issues.document_id,
        issues.department_id,
        issues.fiscal_year,
        issues.check_id,
        issues.severity,
        issues.kind,
        issues.location,
        issues.expected,
        issues.observed,
        issues.description,
        issues.source_line,
        issues.source_page,
        issues.source_locator,
        issues.check_compares
    from issues

)

select * from final
