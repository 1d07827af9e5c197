-- The figures of one reporting unit in one fiscal year and phase, before
-- peers are compared: totals, administration cost, insured persons,
-- execution, scores. Amounts are the analysis figures of the line facts
-- (int_line_items_realigned), with the weakest basis among those used. Built
-- on the intermediate models the fact marts are built from, never on marts.
-- Grain: one (department_id, fiscal_year, phase).

with

documents as (

    -- a re-publication of another document (same text, other bytes) is
    -- counted once: as the document it copies
    select * from {{ ref('int_documents_identified') }}
    where fiscal_year is not null and copy_of_document_id is null

),

lines as (

    -- the function-classified line facts (fct_functional_lines' rows)
    select *, subject_code as functional_code
    from {{ ref('int_line_items_realigned') }}
    where subject_family = 'functional'
        and document_id in (select documents.document_id from documents)

),

economic_lines as (

    select * from {{ ref('int_line_items_realigned') }}
    where subject_family = 'economic'

),

metrics as (

    select * from {{ ref('stg_raw__metrics') }}

),

projects as (

    select * from {{ ref('int_project_executions_keyed') }}

),

indicators as (

    select * from {{ ref('int_indicators_keyed') }}

),

issues as (

    select * from {{ ref('int_quality_issues_unioned') }}

),

document_phases as (

    select document_id, phase from documents

),

unit_years as (

    select distinct department_id, fiscal_year, phase from documents

),

-- The cells of the 支出决算表 / 支出预算表 the comparison uses: its 合计
-- row and the administration-cost 项 (行政运行, 一般行政管理事务, 机关服务,
-- 事业运行 of 21015), total column.
expenditure_cells as (

    select
        *,
        functional_code in ('2101501', '2101502', '2101503', '2101550')
            as is_admin_cost
    from lines
    where table_kind = 'expenditure' and measure = 'total'
        and (is_total or functional_code in (
            '2101501', '2101502', '2101503', '2101550'))

),

expenditure_totals as (

    select
        department_id,
        fiscal_year,
        phase,
        max(analysis_amount_wan_yuan) filter (where is_total)
            as total_from_table,
        case
            when bool_or(figure_basis = 'excluded') filter (where is_admin_cost)
                then null
            else sum(analysis_amount_wan_yuan) filter (where is_admin_cost)
        end as admin_cost_from_table,
        case
            when bool_or(figure_basis = 'excluded') then 'excluded'
            when bool_or(figure_basis = 'realigned') then 'realigned'
            else 'as_printed'
        end as figure_basis,
        string_agg(distinct figure_basis_source, ', '
                   order by figure_basis_source) as figure_basis_source
    from expenditure_cells
    group by 1, 2, 3

),

-- Per-code initial budget vs final, as the narrative states them.
narrative_execution as (

    select department_id, fiscal_year, phase,
           sum(amount_wan_yuan) filter (where measure = 'final') as narrative_final,
           sum(amount_wan_yuan) filter (where measure = 'initial_budget') as narrative_initial
    from lines
    where table_kind = 'narrative' and functional_code is not null
    group by all

),

-- A document's staff count is the unit's: the count it states for the
-- whole unit (sub_unit NULL), else the sum over its parts (局机关, 经办中心 …,
-- each part's count once). A part's count is never the unit's.
staff_parts as (

    select document_id, sub_unit, max(value) as part_count
    from metrics
    where metric = 'staff_actual'
    group by all

),

staff_by_document as (

    select
        document_id,
        coalesce(max(part_count) filter (where sub_unit is null),
                 sum(part_count) filter (where sub_unit is not null)) as staff_actual,
        case
            when count(*) filter (where sub_unit is null) > 0 then 'unit_total'
            else 'sum_of_sub_units'
        end as staff_actual_basis
    from staff_parts
    group by all

),

staff as (

    select documents.department_id, documents.fiscal_year, documents.phase,
           max(staff_by_document.staff_actual) as staff_actual,
           arg_max(staff_by_document.staff_actual_basis, staff_by_document.staff_actual)
               as staff_actual_basis
    from staff_by_document
    inner join documents using (document_id)
    group by all

),

stated as (

    select documents.department_id, documents.fiscal_year, documents.phase,
           max(metrics.value) filter (where metrics.metric = 'total_expenditure') as total_expenditure_stated,
           max(metrics.value) filter (where metrics.metric = 'insured_persons_total') as insured_persons,
           max(metrics.value) filter (where metrics.metric = 'self_evaluation_score') as self_evaluation_score,
           max(metrics.value) filter (where metrics.metric = 'three_public_budget') as three_public_budget,
           max(metrics.value) filter (where metrics.metric = 'three_public_actual') as three_public_actual
    from metrics
    inner join documents using (document_id)
    group by all

),

project_totals as (

    select projects.department_id, projects.fiscal_year, document_phases.phase,
           count(*) as project_count,
           sum(projects.executed_wan_yuan) as projects_executed,
           sum(coalesce(projects.annual_budget_wan_yuan, projects.initial_budget_wan_yuan)) as projects_budget
    from projects
    inner join document_phases using (document_id)
    group by all

),

indicator_totals as (

    select indicators.department_id, indicators.fiscal_year, document_phases.phase,
           count(*) as indicator_count,
           count(*) filter (where indicators.flags like '%actual_repeats_target%') as indicators_repeating_target,
           count(*) filter (where indicators.weight > 0 and indicators.score is not null) as indicators_scored,
           sum(indicators.score) filter (where indicators.weight > 0)
               / nullif(sum(indicators.weight) filter (where indicators.weight > 0 and indicators.score is not null), 0)
               as indicator_score_ratio
    from indicators
    inner join document_phases using (document_id)
    group by all

),

-- Which standard kinds of table the unit's documents disclose (of six:
-- summary, income, expenditure, fiscal summary, 一般公共预算 expenditure,
-- basic-expenditure economic table).
disclosure as (

    select department_id, fiscal_year, phase,
           count(distinct table_kind) filter (where table_kind in (
               'summary', 'income', 'expenditure', 'fiscal_summary', 'gpb_expenditure'))
           + (count(*) filter (where table_kind = 'basic_economic') > 0)::integer
               as disclosed_table_kinds
    from (
        select department_id, fiscal_year, phase, table_kind from lines
        union all
        select department_id, fiscal_year, phase, table_kind
        from economic_lines
    ) as tables
    group by all

),

issue_totals as (

    select issues.department_id, issues.fiscal_year, document_phases.phase,
           count(*) as data_quality_issue_count,
           count(*) filter (where issues.severity = 'error') as data_quality_error_count
    from issues
    inner join document_phases using (document_id)
    group by all

),

combined as (

    select
        unit_years.department_id,
        unit_years.fiscal_year,
        unit_years.phase,
        coalesce(expenditure_totals.total_from_table, stated.total_expenditure_stated)
            as total_expenditure_wan_yuan,
        expenditure_totals.admin_cost_from_table as admin_cost_wan_yuan,
        coalesce(expenditure_totals.figure_basis, 'as_printed') as figure_basis,
        expenditure_totals.figure_basis_source,
        stated.insured_persons,
        staff.staff_actual,
        staff.staff_actual_basis,
        stated.self_evaluation_score,
        stated.three_public_budget,
        stated.three_public_actual,
        case
            when narrative_execution.narrative_initial > 0
                then 100 * narrative_execution.narrative_final / narrative_execution.narrative_initial
            when project_totals.projects_budget > 0
                then 100 * project_totals.projects_executed / project_totals.projects_budget
        end as budget_execution_pct,
        case
            when narrative_execution.narrative_initial > 0 then 'narrative_final_vs_initial'
            when project_totals.projects_budget > 0 then 'projects_executed_vs_budget'
        end as budget_execution_basis,
        coalesce(project_totals.project_count, 0) as project_count,
        coalesce(indicator_totals.indicator_count, 0) as indicator_count,
        coalesce(indicator_totals.indicators_repeating_target, 0) as indicators_repeating_target,
        indicator_totals.indicator_score_ratio,
        coalesce(disclosure.disclosed_table_kinds, 0) as disclosed_table_kinds,
        coalesce(issue_totals.data_quality_issue_count, 0) as data_quality_issue_count,
        coalesce(issue_totals.data_quality_error_count, 0) as data_quality_error_count
    from unit_years
    left join expenditure_totals using (department_id, fiscal_year, phase)
    left join narrative_execution using (department_id, fiscal_year, phase)
    left join stated using (department_id, fiscal_year, phase)
    left join staff using (department_id, fiscal_year, phase)
    left join project_totals using (department_id, fiscal_year, phase)
    left join indicator_totals using (department_id, fiscal_year, phase)
    left join disclosure using (department_id, fiscal_year, phase)
    left join issue_totals using (department_id, fiscal_year, phase)

)

select * from combined
