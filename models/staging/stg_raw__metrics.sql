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
        source_line
    from source

)

select * from renamed
