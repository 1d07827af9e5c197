with

source as (

    select * from {{ source('raw', 'table_notes') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        table_no,
        table_title,
        note_kind,
        note,
        source_line
    from source

)

select * from renamed
