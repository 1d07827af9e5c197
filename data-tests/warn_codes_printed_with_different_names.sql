{{ config(severity='warn') }}
-- A subject code printed with different names across reports: a naming
-- change between years, a regional variant, or a misprint. Reported as a
-- warning for a reviewer, never corrected.
select subject_family, subject_code, count(distinct line_name) as names,
       string_agg(distinct line_name, ' / ') as printed_names
from {{ ref('int_subject_names_seen') }}
group by subject_family, subject_code
having count(distinct line_name) > 1
