with

source as (

    select * from {{ source('raw', 'document_sections') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        report_type,
        title,
        start_line,
        end_line
    from source

)

select * from renamed
