-- One ingested report file, tied to its reporting unit and fiscal year.

with

documents as (

    select * from {{ ref('int_documents_identified') }}

),

final as (

    select
        document_id,
        file_name,
        source_file,
        sha256,
        encoding,
        line_count,
        department_id,
        department_name_printed,
        consolidation,
        fiscal_year,
        phase,
        identified_by,
        identity_evidence,
        identity_source_line,
        copy_of_document_id
    from documents

)

select * from final
