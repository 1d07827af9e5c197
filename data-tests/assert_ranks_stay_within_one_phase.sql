-- Every rank of rpt_department_years is computed among the units of the
-- same fiscal year and the same phase (决算 apart from 预算) with a known
-- value: recomputed here from the rows themselves, the peer count and the
-- rank must agree. Returns the rows where they don't; none is expected.

with

years as (

    select * from {{ ref('rpt_department_years') }}

),

{% set stats = [
    ('total_expenditure_wan_yuan', 'province', 'expenditure', 'desc'),
    ('total_expenditure_wan_yuan', 'admin_level', 'expenditure', 'desc'),
    ('admin_cost_share_pct', 'admin_level', 'admin_cost_share', 'desc'),
    ('self_evaluation_score', 'province', 'self_score', 'desc'),
    ('self_evaluation_score', 'admin_level', 'self_score', 'desc'),
] %}

recomputed as (

    {% for value, group, prefix, direction in stats %}
    select
        ranked.department_id,
        ranked.fiscal_year,
        ranked.phase,
        '{{ prefix }}_in_{{ group }}' as statistic,
        ranked.{{ prefix }}_rank_in_{{ group }} as stored_rank,
        ranked.{{ prefix }}_peer_count_in_{{ group }} as stored_peer_count,
        (
            select count(*) + 1
            from years as peer
            where peer.fiscal_year = ranked.fiscal_year
                and peer.phase = ranked.phase
                and peer.{{ group }} = ranked.{{ group }}
                and peer.{{ value }} {{ '>' if direction == 'desc' else '<' }}
                    ranked.{{ value }}
        ) as expected_rank,
        (
            select count(*)
            from years as peer
            where peer.fiscal_year = ranked.fiscal_year
                and peer.phase = ranked.phase
                and peer.{{ group }} = ranked.{{ group }}
                and peer.{{ value }} is not null
        ) as expected_peer_count
    from years as ranked
    where ranked.{{ value }} is not null and ranked.{{ group }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from recomputed
where stored_rank is distinct from expected_rank
    or stored_peer_count is distinct from expected_peer_count
