{#- Generic test: the combination of `columns` is unique (dbt_utils is not
    reachable from this project's machines, so we keep our own). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
