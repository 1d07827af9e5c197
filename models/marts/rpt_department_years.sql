-- One reporting unit in one fiscal year and phase (决算 / 预算), for
-- comparison with its peers (same province; same admin level): figures,
-- shares, ranks, medians and percentiles. Peers are the units of the same
-- fiscal year and phase only, and a rank, median or percentile is given
-- only to a known value, among the known values (the peer count beside it).
-- Grain: one (department_id, fiscal_year, phase).

with

figures as (

    -- a document whose phase could not be read (a web page, a prose-only
    -- report) is outside the grain: it stays in dim_documents with its issues
    select * from {{ ref('int_department_year_figures') }}
    where phase is not null

),

departments as (

    select * from {{ ref('dim_departments') }}

),

enriched as (

    select
        figures.*,
        departments.department_name,
        departments.province,
        departments.admin_level,
        departments.unit_kind,
        100 * figures.admin_cost_wan_yuan
            / nullif(figures.total_expenditure_wan_yuan, 0) as admin_cost_share_pct,
        10000 * figures.admin_cost_wan_yuan
            / nullif(figures.insured_persons, 0) as admin_cost_per_insured_yuan,
        10000 * figures.total_expenditure_wan_yuan
            / nullif(figures.staff_actual, 0) as expenditure_per_staff_yuan
    from figures
    inner join departments
        on figures.department_id = departments.department_id

),

peers as (

    select
        *,
        {{ peer_stats('total_expenditure_wan_yuan', 'province', 'expenditure',
                      'desc') }},
        {{ peer_stats('total_expenditure_wan_yuan', 'admin_level', 'expenditure',
                      'desc') }},
        {{ peer_stats('admin_cost_share_pct', 'admin_level', 'admin_cost_share',
                      'desc', percentile=true) }},
        {{ peer_stats('self_evaluation_score', 'province', 'self_score',
                      'desc') }},
        {{ peer_stats('self_evaluation_score', 'admin_level', 'self_score',
                      'desc') }},
        lag(fiscal_year) over (
            partition by department_id, phase order by fiscal_year
        ) as previous_fiscal_year,
        lag(total_expenditure_wan_yuan) over (
            partition by department_id, phase order by fiscal_year
        ) as previous_total_expenditure
    from enriched

),

final as (

    select
        department_id,
        fiscal_year,
        phase,
        department_name,
        province,
        admin_level,
        unit_kind,
        total_expenditure_wan_yuan::decimal(20, 6) as total_expenditure_wan_yuan,
        admin_cost_wan_yuan::decimal(20, 6) as admin_cost_wan_yuan,
        round(admin_cost_share_pct, 4)::double as admin_cost_share_pct,
        insured_persons::bigint as insured_persons,
        round(admin_cost_per_insured_yuan, 4)::double
            as admin_cost_per_insured_yuan,
        staff_actual::integer as staff_actual,
        staff_actual_basis,
        round(expenditure_per_staff_yuan, 2)::double as expenditure_per_staff_yuan,
        round(budget_execution_pct, 4)::double as budget_execution_pct,
        budget_execution_basis,
        three_public_budget::decimal(20, 6) as three_public_budget_wan_yuan,
        three_public_actual::decimal(20, 6) as three_public_actual_wan_yuan,
        self_evaluation_score::double as self_evaluation_score,
        project_count::integer as project_count,
        indicator_count::integer as indicator_count,
        indicators_repeating_target::integer as indicators_repeating_target,
        round(indicator_score_ratio, 4)::double as indicator_score_ratio,
        data_quality_issue_count::integer as data_quality_issue_count,
        data_quality_error_count::integer as data_quality_error_count,
        figure_basis,
        figure_basis_source,
        expenditure_rank_in_province::integer as expenditure_rank_in_province,
        expenditure_peer_count_in_province::integer
            as expenditure_peer_count_in_province,
        expenditure_median_in_province::decimal(20, 6)
            as expenditure_median_in_province,
        expenditure_rank_in_admin_level::integer as expenditure_rank_in_admin_level,
        expenditure_peer_count_in_admin_level::integer
            as expenditure_peer_count_in_admin_level,
        expenditure_median_in_admin_level::decimal(20, 6)
            as expenditure_median_in_admin_level,
        admin_cost_share_rank_in_admin_level::integer
            as admin_cost_share_rank_in_admin_level,
        admin_cost_share_peer_count_in_admin_level::integer
            as admin_cost_share_peer_count_in_admin_level,
        round(admin_cost_share_median_in_admin_level, 4)::double
            as admin_cost_share_median_in_admin_level,
        round(100 * admin_cost_share_percentile_in_admin_level, 2)::double
            as admin_cost_share_percentile_in_admin_level,
        self_score_rank_in_province::integer as self_score_rank_in_province,
        self_score_peer_count_in_province::integer
            as self_score_peer_count_in_province,
        self_score_median_in_province::double as self_score_median_in_province,
        self_score_rank_in_admin_level::integer as self_score_rank_in_admin_level,
        self_score_peer_count_in_admin_level::integer
            as self_score_peer_count_in_admin_level,
        self_score_median_in_admin_level::double
            as self_score_median_in_admin_level,
        disclosed_table_kinds::integer as disclosed_table_kinds,
        previous_fiscal_year::integer as previous_fiscal_year,
        round(100 * (total_expenditure_wan_yuan - previous_total_expenditure)
              / nullif(previous_total_expenditure, 0), 4)::double
            as total_expenditure_yoy_pct
    from peers

)

-- sorted by unit, year and phase: a dashboard's filter on a unit skips the
-- other row groups
select * from final
order by department_id, fiscal_year, phase
