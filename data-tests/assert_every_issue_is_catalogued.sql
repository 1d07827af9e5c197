-- Every data-quality issue comes from a check of the catalogue (seed
-- `data_quality_checks`), so that the docs site explains what it compares.
select issues.check_id, count(*) as issues
from {{ ref('fct_data_quality_issues') }} as issues
left join {{ ref('data_quality_checks') }} as checks using (check_id)
where checks.check_id is null
group by issues.check_id
