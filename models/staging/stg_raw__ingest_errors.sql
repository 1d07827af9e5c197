with

source as (

    select * from {{ source('raw', 'ingest_errors') }}

),

renamed as (

    select
        source_file,
        sha256,
        stage,
        reason,
        source_line,
        loaded_at
    from source

)

select * from renamed
