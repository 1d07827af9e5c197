-- One functional subject across units: what each spent on 行政运行-type
-- subjects (项 codes ending in 01, the administration line of every 款) in
-- its expenditure table, basic vs project. Change the filter to compare any
-- other code. amount_wan_yuan is as printed; compare analysis_amount_wan_yuan
-- (figure_basis says which were realigned).
select
    departments.department_name,
    lines.fiscal_year,
    lines.phase,
    lines.functional_code,
    subjects.functional_name,
    lines.measure,
    lines.amount_wan_yuan,
    lines.analysis_amount_wan_yuan,
    lines.figure_basis,
    lines.source_line
from marts.fct_functional_lines as lines
inner join marts.dim_departments as departments using (department_id)
left join marts.dim_functional_subjects as subjects using (functional_code)
where lines.table_kind = 'expenditure'
  and length(lines.functional_code) = 7
  and right(lines.functional_code, 2) = '01'
order by lines.functional_code, departments.department_name, lines.measure
