-- Budget against final: for one unit, fiscal year and functional code (or
-- the 三公 total), what its 部门预算 planned, what its 部门决算 states as the
-- 年初预算, what it spent, and the execution rate, each figure with the
-- document and the statement it was read from. Amounts are analysis
-- figures; `figure_basis` is the weakest basis of the three. Only rows with
-- a final figure and at least one budget figure are kept.
-- Grain: one (department_id, fiscal_year, line_key).

with

figures as (

    select * from {{ ref('int_budget_final_figures') }}

),

subjects as (

    select * from {{ ref('dim_functional_subjects') }}

),

paired as (

    select
        department_id,
        fiscal_year,
        line_key,
        {% for figure in ['budget', 'initial_budget', 'final'] %}
        max(amount_wan_yuan) filter (where figure = '{{ figure }}')
            as {{ figure }}_wan_yuan,
        max(document_id) filter (where figure = '{{ figure }}')
            as {{ figure }}_document_id,
        max(read_from) filter (where figure = '{{ figure }}')
            as {{ figure }}_read_from,
        {% endfor %}
        case
            when bool_or(figure_basis = 'excluded') then 'excluded'
            when bool_or(figure_basis = 'realigned') then 'realigned'
            else 'as_printed'
        end as figure_basis,
        string_agg(distinct figure_basis_source, ', '
                   order by figure_basis_source) as figure_basis_source
    from figures
    group by 1, 2, 3

),

final as (

    select
        paired.department_id,
        paired.fiscal_year,
        paired.line_key,
        case when paired.line_key = 'three_public' then 'three_public'
            else 'functional' end as line_kind,
        case when paired.line_key <> 'three_public'
            then paired.line_key end as functional_code,
        case when paired.line_key = 'three_public' then '“三公”经费'
            else subjects.functional_name end as line_name,
        paired.budget_wan_yuan::decimal(20, 6) as budget_wan_yuan,
        paired.budget_document_id,
        paired.budget_read_from as budget_basis,
        paired.initial_budget_wan_yuan::decimal(20, 6)
            as initial_budget_wan_yuan,
        paired.initial_budget_document_id,
        paired.initial_budget_read_from as initial_budget_basis,
        paired.final_wan_yuan::decimal(20, 6) as final_wan_yuan,
        paired.final_document_id,
        paired.final_read_from as final_basis,
        round(100 * paired.final_wan_yuan / nullif(coalesce(
            paired.budget_wan_yuan, paired.initial_budget_wan_yuan), 0),
            4)::double as execution_pct,
        case
            when paired.budget_wan_yuan is not null then 'final_vs_budget'
            when paired.initial_budget_wan_yuan is not null
                then 'final_vs_initial_budget'
        end as execution_basis,
        round(100 * paired.final_wan_yuan
              / nullif(paired.initial_budget_wan_yuan, 0), 4)::double
            as execution_vs_initial_pct,
        paired.figure_basis,
        paired.figure_basis_source
    from paired
    left join subjects
        on paired.line_key = subjects.functional_code
    where paired.final_document_id is not null
        and (paired.budget_document_id is not null
             or paired.initial_budget_document_id is not null)

)

-- sorted by unit, year and code: a dashboard's filter skips the other row groups
select * from final
order by department_id, fiscal_year, line_key
