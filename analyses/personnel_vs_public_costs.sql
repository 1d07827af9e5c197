-- How much of basic expenditure goes to people (人员经费) and how much to
-- running costs (公用经费)? From the basic-expenditure economic table's
-- 类 rows (301 工资福利支出, 302 商品和服务支出, 303 对个人和家庭的补助).
select
    departments.department_name,
    lines.fiscal_year,
    lines.phase,
    lines.economic_code,
    subjects.economic_name,
    lines.measure_label,
    lines.amount_wan_yuan,
    round(100 * lines.amount_wan_yuan / nullif(sum(lines.amount_wan_yuan) over (
        partition by lines.document_id, lines.measure_label), 0), 2) as share_pct
from marts.fct_economic_lines as lines
inner join marts.dim_departments as departments using (department_id)
left join marts.dim_economic_subjects as subjects using (economic_code)
where length(lines.economic_code) = 3
order by departments.department_name, lines.fiscal_year, lines.economic_code
