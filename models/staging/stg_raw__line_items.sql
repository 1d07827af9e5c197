with

source as (

    select * from {{ source('raw', 'line_items') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        table_no,
        table_title,
        table_kind,
        classification,
        code,
        line_name,
        measure_label,
        measure,
        amount_text,
        unit,
        amount_wan_yuan,
        source_line,
        source_page,
        source_locator,
        source_ocr_confidence
    from source

)

select * from renamed
