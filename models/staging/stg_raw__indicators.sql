with

source as (

    select * from {{ source('raw', 'indicators') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        scope,
        project_name,
        level1,
        level2,
        indicator_name,
        target_text,
        actual_text,
        weight,
        score,
        target_operator,
        target_value,
        target_unit,
        actual_operator,
        actual_value,
        actual_unit,
        is_qualitative,
        flags,
        source_line,
        source_page,
        source_locator,
        source_ocr_confidence
    from source

)

select * from renamed
