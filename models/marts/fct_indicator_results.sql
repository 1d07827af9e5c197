-- One performance-indicator row of a self-evaluation table or scoring sheet,
-- keyed to its indicator and project (int_indicators_keyed).
-- Grain: one indicator row.

with

indicators as (

    select * from {{ ref('int_indicators_keyed') }}

),

final as (

    select
        {{ surrogate_key(['indicators.document_id', 'indicators.project_name',
                          'indicators.indicator_name', 'indicators.source_line']) }} as indicator_result_id,
        indicators.document_id,
        indicators.department_id,
        indicators.fiscal_year,
        indicators.indicator_id,
        indicators.project_id,
        indicators.scope,
        indicators.project_name,
        indicators.level1,
        indicators.level2,
        indicators.indicator_name,
        indicators.target_text,
        indicators.actual_text,
        indicators.weight,
        indicators.score,
        indicators.target_operator,
        indicators.target_value,
        indicators.target_unit,
        indicators.actual_operator,
        indicators.actual_value,
        indicators.actual_unit,
        indicators.is_qualitative,
        coalesce(indicators.flags, '') as flags,
        indicators.source_line,
        indicators.source_page,
        indicators.source_locator,
        indicators.source_ocr_confidence as ocr_confidence
    from indicators

)

select * from final
