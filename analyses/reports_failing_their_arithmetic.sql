-- Which reports fail their own arithmetic? Per document, the failed
-- consistency checks by kind and severity (error: a real contradiction;
-- info: a rounding difference within 0.01 万元). Open the document at
-- example_line to see the first figure concerned.
select
    documents.file_name,
    departments.department_name,
    issues.fiscal_year,
    issues.kind,
    issues.severity,
    count(*) as issues,
    min(issues.source_line) as example_line,
    any_value(issues.description) as example
from marts.fct_data_quality_issues as issues
inner join marts.dim_documents as documents using (document_id)
inner join marts.dim_departments as departments on issues.department_id = departments.department_id
group by all
order by issues desc, documents.file_name asc
