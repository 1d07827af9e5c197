-- No rank, peer count, median or percentile of rpt_department_years is
-- given to a row whose compared value (or peer group) is unknown.
-- Returns the offending rows; none is expected.

with

years as (

    select * from {{ ref('rpt_department_years') }}

),

{% set stats = [
    ('total_expenditure_wan_yuan', 'province', 'expenditure', false),
    ('total_expenditure_wan_yuan', 'admin_level', 'expenditure', false),
    ('admin_cost_share_pct', 'admin_level', 'admin_cost_share', true),
    ('self_evaluation_score', 'province', 'self_score', false),
    ('self_evaluation_score', 'admin_level', 'self_score', false),
] %}

offending as (

    {% for value, group, prefix, percentile in stats %}
    select
        department_id,
        fiscal_year,
        phase,
        '{{ prefix }}_in_{{ group }}' as statistic
    from years
    where ({{ value }} is null or {{ group }} is null)
        and coalesce(
            {{ prefix }}_rank_in_{{ group }}::varchar,
            {{ prefix }}_peer_count_in_{{ group }}::varchar,
            {{ prefix }}_median_in_{{ group }}::varchar
            {%- if percentile %},
            {{ prefix }}_percentile_in_{{ group }}::varchar{% endif %}
        ) is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from offending
