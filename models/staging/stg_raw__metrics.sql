with

source as (

    select * from {{ source('raw', 'metrics') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        metric,
        value,
        unit,
        evidence,
        sub_unit,
        source_line,
        source_page,
        source_locator,
        source_ocr_confidence
    from source

)

select * from renamed
