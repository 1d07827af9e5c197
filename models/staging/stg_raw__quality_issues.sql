with

source as (

    select * from {{ source('raw', 'quality_issues') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        check_id,
        severity,
        kind,
        location,
        expected,
        observed,
        description,
        source_line,
        source_page,
        source_locator
    from source

)

select * from renamed
