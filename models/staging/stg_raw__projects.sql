with

source as (

    select * from {{ source('raw', 'projects') }}

),

renamed as (

    select
        document_id,
        source_file,
        sha256,
        loaded_at,
        project_name,
        initial_budget_wan_yuan,
        annual_budget_wan_yuan,
        executed_wan_yuan,
        execution_rate_pct,
        score,
        origin,
        source_line,
        source_page,
        source_locator,
        source_ocr_confidence
    from source

)

select * from renamed
