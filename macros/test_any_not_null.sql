{#- Generic test: on every row at least one of `columns` is not null. -#}
{% test any_not_null(model, columns) %}
select * from {{ model }}
where coalesce({{ columns | join(', ') }}) is null
{% endtest %}
