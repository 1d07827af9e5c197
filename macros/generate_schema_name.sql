{#- Use the configured schema name as is (raw, staging, intermediate, marts),
    not dbt's default "<target>_<custom>" form: the marts schema is part of
    the public contract and is named exactly `marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
