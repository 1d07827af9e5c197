-- How is each unit's spending structured, by 功能分类 类 and 款, and how did
-- it change from one year to the next? Shares are of the unit's 本年支出合计
-- in its 支出决算表 (phase final) or 支出预算表 (phase budget); share_change_pp
-- is the change in percentage points against the unit's previous year of the
-- same phase (NULL where the warehouse holds none). Amounts are analysis
-- figures, with their basis (realigned where the report's other tables prove
-- a shifted table's alignment).
select
    departments.department_name,
    structure.fiscal_year,
    structure.phase,
    structure.class_code,
    structure.class_name,
    structure.class_share_pct,
    structure.section_code,
    structure.section_name,
    structure.amount_wan_yuan,
    structure.share_pct,
    structure.share_change_pp,
    structure.figure_basis,
    structure.figure_basis_source
from marts.rpt_spending_structure as structure
inner join marts.dim_departments as departments using (department_id)
order by departments.department_name asc, structure.fiscal_year asc, structure.share_pct desc
