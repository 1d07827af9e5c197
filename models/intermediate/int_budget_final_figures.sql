-- The budget-side and final-side figures of each unit, fiscal year and
-- functional code (and the 三公 total), one row per kind of figure, before
-- they are paired: what the 部门预算 plans (`budget`), what the 部门决算
-- states as 年初预算 (`initial_budget`) and what it spent (`final`).
-- Table figures are the line facts' analysis figures and come before the
-- narrative's; where a unit has two documents of a phase for a year, the
-- first by document_id is taken, and a re-publication of another document
-- (copy_of_document_id) never. Built on the intermediate models the fact
-- marts are built from, never on marts. Grain: one (department_id, fiscal_year,
-- line_key, figure).

with

documents as (

    select * from {{ ref('int_documents_identified') }}
    where copy_of_document_id is null

),

lines as (

    -- the function-classified line facts (fct_functional_lines' rows)
    select *, subject_code as functional_code
    from {{ ref('int_line_items_realigned') }}
    where subject_family = 'functional'
        and subject_code is not null and fiscal_year is not null
        and document_id in (select documents.document_id from documents)

),

metrics as (

    select * from {{ ref('stg_raw__metrics') }}
    where metric in ('three_public_budget', 'three_public_actual')

),

functional_candidates as (

    select
        department_id,
        fiscal_year,
        functional_code as line_key,
        case
            when phase = 'budget' then 'budget'
            when measure = 'initial_budget' then 'initial_budget'
            else 'final'
        end as figure,
        document_id,
        analysis_amount_wan_yuan as amount_wan_yuan,
        figure_basis,
        figure_basis_source,
        case
            when table_kind = 'narrative' then 'narrative'
            else table_kind || ' table ' || coalesce(table_no, '')
        end as read_from,
        -- tables before the narrative; the 支出 table before the 一般公共预算 one
        case table_kind
            when 'expenditure' then 1
            when 'gpb_expenditure' then 2
            when 'narrative' then 4
            else 3
        end as preference,
        source_line
    from lines
    where (phase = 'budget' and table_kind in ('expenditure', 'gpb_expenditure')
               and measure = 'total')
        or (phase = 'budget' and table_kind = 'narrative' and measure = 'budget')
        or (phase = 'final' and measure = 'initial_budget')
        or (phase = 'final' and table_kind in ('expenditure', 'gpb_expenditure')
               and measure = 'total')
        or (phase = 'final' and table_kind = 'narrative' and measure = 'final')

),

three_public_candidates as (

    select
        documents.department_id,
        documents.fiscal_year,
        'three_public' as line_key,
        case
            when documents.phase = 'budget' then 'budget'
            when metrics.metric = 'three_public_budget' then 'initial_budget'
            else 'final'
        end as figure,
        metrics.document_id,
        metrics.value::decimal(20, 6) as amount_wan_yuan,
        'as_printed' as figure_basis,
        null as figure_basis_source,
        'stated ' || metrics.metric as read_from,
        1 as preference,
        metrics.source_line
    from metrics
    inner join documents
        on metrics.document_id = documents.document_id
    where documents.fiscal_year is not null
        and (documents.phase = 'final' or metrics.metric = 'three_public_budget')

),

candidates as (

    select * from functional_candidates
    union all
    select * from three_public_candidates

),

chosen as (

    select *
    from candidates
    qualify row_number() over (
        partition by department_id, fiscal_year, line_key, figure
        order by document_id, preference, source_line
    ) = 1

)

select * from chosen
