-- Which bureaus spend most on administration per insured person?
-- Administration cost = 行政运行 + 一般行政管理事务 + 机关服务 + 事业运行 of
-- 21015 医疗保障管理事务 in the 支出决算表; insured persons as the unit's own
-- reports state them. Read admin_cost_per_insured_yuan as 元 per insured
-- person; compare within an admin level (a county bureau with a city one is
-- not a fair comparison). NULL where a report gives no insured-person figure.
-- Figures are the analysis figures (figure_basis says whether a shifted
-- table was realigned on the report's other tables); ranks are among the
-- peers of the same year and phase with a known share (peer count beside).
select
    department_name,
    province,
    admin_level,
    unit_kind,
    fiscal_year,
    phase,
    admin_cost_wan_yuan,
    insured_persons,
    admin_cost_per_insured_yuan,
    admin_cost_share_pct,
    admin_cost_share_rank_in_admin_level,
    admin_cost_share_peer_count_in_admin_level,
    admin_cost_share_median_in_admin_level,
    figure_basis,
    figure_basis_source
from marts.rpt_department_years
order by admin_cost_per_insured_yuan desc nulls last, admin_cost_share_pct desc nulls last
