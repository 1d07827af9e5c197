-- dim_indicators counts every fct_indicator_results row exactly once (rows
-- without a printed 三级指标 name included). Returns the difference, if any.

with

results as (

    select count(*) as result_rows from {{ ref('fct_indicator_results') }}

),

dimension as (

    select coalesce(sum(result_count), 0) as counted from {{ ref('dim_indicators') }}

)

select results.result_rows, dimension.counted
from results
cross join dimension
where results.result_rows is distinct from dimension.counted
