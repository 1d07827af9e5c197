-- Which of the standard tables does each 决算 or 预算 disclose? One row per
-- document with a flag per kind of table (income, expenditure, 财政拨款
-- summary, 一般公共预算 expenditure, basic-expenditure economic table) and
-- the tables it explains as having no data (本表无数据).
with

tables as (

    select document_id, table_kind from marts.fct_functional_lines
    union
    select document_id, table_kind from marts.fct_economic_lines

),

per_document as (

    select document_id,
           bool_or(table_kind = 'summary') as has_summary,
           bool_or(table_kind = 'income') as has_income,
           bool_or(table_kind = 'expenditure') as has_expenditure,
           bool_or(table_kind = 'fiscal_summary') as has_fiscal_summary,
           bool_or(table_kind = 'gpb_expenditure') as has_gpb_expenditure,
           bool_or(table_kind = 'basic_economic') as has_basic_economic,
           bool_or(table_kind = 'narrative') as has_narrative_by_code
    from tables
    group by document_id

)

select
    documents.file_name,
    documents.phase,
    documents.fiscal_year,
    per_document.*
from per_document
inner join marts.dim_documents as documents using (document_id)
order by documents.file_name
