with

source as (

    select * from {{ source('raw', 'document_identity') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        department_name,
        department_name_printed,
        unit_kind,
        consolidation,
        province,
        city,
        county,
        admin_level,
        division_code,
        fiscal_year,
        phase,
        identified_by,
        evidence,
        source_line,
        source_page,
        source_locator
    from source

)

select * from renamed
