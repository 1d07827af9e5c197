{#- The peer groups a rank of rpt_functional_spending is computed within:
    (column suffix, the grouping columns beside year, phase and code). -#}
{% macro peer_groups() %}
{{ return([('', []), ('_in_province', ['province']), ('_in_admin_level', ['admin_level'])]) }}
{% endmacro %}
