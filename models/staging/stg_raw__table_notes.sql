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
        source_line,
        source_page,
        source_locator
    from source

)

select * from renamed
