-- One row per ingested document with the identity its parser read
-- (NULLs where the unit, area or year could not be determined), the
-- department key every fact of the document joins on, and the document it
-- re-publishes: the first one (by load time, then path) with the same text
-- fingerprint (the same text in other bytes: encoding, line ends, a PDF and
-- its text conversion). Comparisons count only documents that copy none.
-- Grain: one document_id.

with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

identities as (

    select * from {{ ref('stg_raw__document_identities') }}

),

joined as (

    select
        documents.document_id,
        documents.file_name,
        documents.source_file,
        documents.sha256,
        documents.encoding,
        documents.line_count,
        documents.text_fingerprint,
        documents.loaded_at,
        identities.department_name,
        identities.department_name_printed,
        identities.unit_kind,
        identities.consolidation,
        identities.province,
        identities.city,
        identities.county,
        identities.admin_level,
        identities.division_code,
        identities.fiscal_year,
        identities.phase,
        identities.identified_by,
        identities.evidence as identity_evidence,
        identities.source_line as identity_source_line
    from documents
    left join identities
        on documents.document_id = identities.document_id

),

keyed as (

    -- A unit is known by its normalized full name; a document whose unit
    -- could not be read gets a department of its own, named after the file,
    -- so that nothing is merged on a guess.
    select
        *,
        coalesce(department_name, '(未识别单位) ' || file_name) as department_key,
        'dep_' || left(md5(coalesce(department_name, '(未识别单位) ' || file_name)), 12)
            as department_id
    from joined

),

linked as (

    select
        *,
        case when text_fingerprint is not null then first_value(document_id) over (
            partition by text_fingerprint order by loaded_at, source_file, document_id
        ) end as first_with_text
    from keyed

),

final as (

    select
        * exclude (first_with_text),
        case when first_with_text <> document_id then first_with_text end
            as copy_of_document_id
    from linked

)

select * from final
