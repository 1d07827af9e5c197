with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        document_id,
        source_file,
        file_name,
        sha256,
        encoding,
        line_count,
        text_fingerprint,
        loaded_at
    from source

)

select * from renamed
