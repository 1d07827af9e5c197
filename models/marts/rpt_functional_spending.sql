-- What each unit spent on each 功能分类 code in one report, laid out for a
-- dashboard: the code's row of the 支出决算表 / 支出预算表 (total, basic and
-- project columns; analysis figures), with the unit's province, admin level
-- and kind carried (a dashboard needs no join), its rank among the units
-- that report the same code in the same fiscal year and phase (nationally,
-- within its province, within its admin level; known amounts only), and the
-- change against the unit's figure for the code a year before.
-- Grain: one (document_id, functional_code).

with

lines as (

    select * from {{ ref('fct_functional_lines') }}
    where table_kind = 'expenditure'
        and functional_code is not null
        and measure in ('total', 'basic', 'project')

),

documents as (

    -- a re-publication of another document (same text, other bytes) is
    -- counted once: as the document it copies
    select * from {{ ref('dim_documents') }}
    where fiscal_year is not null and copy_of_document_id is null

),

departments as (

    select * from {{ ref('dim_departments') }}

),

subjects as (

    select * from {{ ref('dim_functional_subjects') }}

),

by_code as (

    select
        lines.document_id,
        lines.department_id,
        lines.fiscal_year,
        lines.phase,
        lines.functional_code,
        min(lines.line_name) as line_name,
        {% for measure in ['total', 'basic', 'project'] %}
        case when bool_or(lines.figure_basis = 'excluded') filter (where lines.measure = '{{ measure }}')
            then null
            else max(lines.analysis_amount_wan_yuan) filter (where lines.measure = '{{ measure }}')
        end as {{ measure }}_amount,
        {% endfor %}
        case
            when bool_or(lines.figure_basis = 'excluded') then 'excluded'
            when bool_or(lines.figure_basis = 'realigned') then 'realigned'
            else 'as_printed'
        end as figure_basis,
        string_agg(distinct lines.figure_basis_source, ', '
                   order by lines.figure_basis_source) as figure_basis_source,
        min(lines.source_line) filter (where lines.measure = 'total') as source_line
    from lines
    inner join documents on lines.document_id = documents.document_id
    group by all

),

enriched as (

    select
        by_code.*,
        departments.province,
        departments.admin_level,
        departments.unit_kind,
        max(by_code.total_amount) over (
            partition by by_code.department_id, by_code.phase, by_code.functional_code
            order by by_code.fiscal_year
            range between 1 preceding and 1 preceding
        ) as previous_amount
    from by_code
    inner join departments on by_code.department_id = departments.department_id

),

ranked as (

    select
        enriched.*,
        {%- for suffix, columns in peer_groups() %}
        case when enriched.total_amount is not null
            {%- for column in columns %} and enriched.{{ column }} is not null{% endfor %}
            then rank() over (
                partition by enriched.fiscal_year, enriched.phase, enriched.functional_code,
                    {%- for column in columns %} enriched.{{ column }},{% endfor %}
                    (enriched.total_amount is null)
                order by enriched.total_amount desc
            )
        end as amount_rank{{ suffix }},
        case when enriched.total_amount is not null
            {%- for column in columns %} and enriched.{{ column }} is not null{% endfor %}
            then count(*) over (
                partition by enriched.fiscal_year, enriched.phase, enriched.functional_code,
                    {%- for column in columns %} enriched.{{ column }},{% endfor %}
                    (enriched.total_amount is null)
            )
        end as peer_count{{ suffix }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from enriched

),

final as (

    select
        ranked.department_id,
        ranked.fiscal_year,
        ranked.phase,
        ranked.document_id,
        ranked.functional_code,
        ((length(ranked.functional_code) - 1) // 2)::integer as functional_level,
        coalesce(subjects.functional_name, ranked.line_name) as functional_name,
        ranked.line_name,
        ranked.province,
        ranked.admin_level,
        ranked.unit_kind,
        ranked.total_amount::decimal(20, 6) as amount_wan_yuan,
        ranked.basic_amount::decimal(20, 6) as basic_wan_yuan,
        ranked.project_amount::decimal(20, 6) as project_wan_yuan,
        ranked.previous_amount::decimal(20, 6) as previous_year_wan_yuan,
        (ranked.total_amount - ranked.previous_amount)::decimal(20, 6) as change_wan_yuan,
        round(100 * (ranked.total_amount - ranked.previous_amount)
              / nullif(ranked.previous_amount, 0), 4)::double as change_pct,
        {% for suffix, columns in peer_groups() %}
        ranked.amount_rank{{ suffix }}::integer as amount_rank{{ suffix }},
        ranked.peer_count{{ suffix }}::integer as peer_count{{ suffix }},
        {% endfor %}
        ranked.figure_basis,
        ranked.figure_basis_source,
        ranked.source_line
    from ranked
    left join subjects on ranked.functional_code = subjects.functional_code

)

-- sorted by unit, year and code: a dashboard's filter on a unit or a year
-- skips the other row groups
select * from final
order by department_id, fiscal_year, functional_code, document_id
