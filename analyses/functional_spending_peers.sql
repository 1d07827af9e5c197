-- Where does a unit stand among its peers on one 功能分类 code? For every
-- code a unit's 支出决算表 / 支出预算表 prints, its total, basic and project
-- spending, its rank among all units reporting the code in the same year and
-- phase, within its province and within its admin level (peer counts beside;
-- only known amounts are ranked), and the change against the year before.
-- Sum only one functional_level (the 类/款 rows of a split-code table are
-- subtotals of its 项 rows). Amounts are analysis figures with their basis.
select
    departments.department_name,
    spending.province,
    spending.admin_level,
    spending.fiscal_year,
    spending.phase,
    spending.functional_code,
    spending.functional_name,
    spending.amount_wan_yuan,
    spending.basic_wan_yuan,
    spending.project_wan_yuan,
    spending.amount_rank,
    spending.peer_count,
    spending.amount_rank_in_province,
    spending.peer_count_in_province,
    spending.amount_rank_in_admin_level,
    spending.peer_count_in_admin_level,
    spending.change_wan_yuan,
    spending.change_pct,
    spending.figure_basis
from marts.rpt_functional_spending as spending
inner join marts.dim_departments as departments
    on spending.department_id = departments.department_id
order by spending.functional_code, spending.fiscal_year, spending.phase, spending.amount_rank
