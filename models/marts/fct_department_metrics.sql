-- One headline figure stated in a report (a total, a staff count, an
-- insured-person count, a score), with the verbatim evidence.

with

metrics as (

    select * from {{ ref('stg_raw__metrics') }}

),

documents as (

    select * from {{ ref('int_documents_identified') }}

),

final as (

    select
        {{ surrogate_key(['metrics.document_id', 'metrics.metric', 'metrics.value',
                          'metrics.source_line', 'metrics.sub_unit']) }} as metric_id,
        metrics.document_id,
        documents.department_id,
        documents.fiscal_year,
        metrics.metric,
        metrics.value,
        metrics.unit,
        metrics.evidence,
        metrics.sub_unit,
        metrics.source_line,
        metrics.source_page,
        metrics.source_locator,
        metrics.source_ocr_confidence as ocr_confidence
    from metrics
    inner join documents on metrics.document_id = documents.document_id

)

select * from final
