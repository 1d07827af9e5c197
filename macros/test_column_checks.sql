{#- Generic test: a model's column tests in one query.

    dbt runs each column test as its own node: a query, a transaction and
    about 30 ms of dbt's bookkeeping apiece, so a fact table with a dozen
    not_null / unique / accepted_values / relationships tests cost a dozen
    scans and most of the build's time. This test checks the same rules, with
    dbt's semantics, in one query (one pass over the model, plus the grouping
    of each unique column that dbt's unique test does too):

      not_null:        [column, …]              the column holds a value
      unique:          [column, …]              no two rows share a (non-null) value
      accepted_values: {column: [value, …]}     a non-null value is one of these
      relationships:   {column: {to: ref(…), field: …}}
                                                a non-null value is in the parent
      unique_combinations: [[column, …], …]     no two rows share the whole combination
                                                (NULL equal to NULL, as a GROUP BY sees it)
      any_not_null:    [[column, …], …]         at least one of the columns holds a value

    It returns every failing row, whole, with `failed_rules` naming each rule
    it breaks, `; `-separated (e.g. `document_id not in dim_documents.document_id`). -#}
{% test column_checks(model, not_null=[], unique=[], accepted_values={}, relationships={},
                      unique_combinations=[], any_not_null=[]) %}
{%- set rules = [] -%}
{%- for column in not_null -%}
  {%- do rules.append("case when checked." ~ column ~ " is null then '" ~ column ~ " is null' end") -%}
{%- endfor -%}
{%- for column in unique -%}
  {%- do rules.append("case when duplicated_" ~ loop.index ~ ".duplicated_key is not null then '"
      ~ column ~ " is not unique' end") -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
  {%- set listed = [] -%}
  {%- for value in values -%}
    {%- do listed.append("'" ~ (value | replace("'", "''")) ~ "'" if value is string else value | string) -%}
  {%- endfor -%}
  {%- do rules.append("case when checked." ~ column ~ " not in (" ~ listed | join(", ")
      ~ ") then '" ~ column ~ " is not an accepted value' end") -%}
{%- endfor -%}
{%- for column, parent in relationships.items() -%}
  {%- do rules.append("case when checked." ~ column ~ " is not null and parent_" ~ loop.index
      ~ ".parent_key is null then '" ~ column ~ " not in " ~ parent.to.identifier ~ "." ~ parent.field ~ "' end") -%}
{%- endfor -%}
{%- for columns in unique_combinations -%}
  {%- do rules.append("case when combination_" ~ loop.index ~ ".duplicated then '"
      ~ columns | join(", ") ~ " is not unique' end") -%}
{%- endfor -%}
{%- for columns in any_not_null -%}
  {%- do rules.append("case when coalesce(checked." ~ columns | join(", checked.")
      ~ ") is null then '" ~ columns | join(", ") ~ " all null' end") -%}
{%- endfor %}
with
{% for column in unique -%}
duplicated_{{ loop.index }} as (
    select {{ column }} as duplicated_key
    from {{ model }}
    where {{ column }} is not null
    group by {{ column }}
    having count(*) > 1
),
{% endfor -%}
{% for columns in unique_combinations -%}
combination_{{ loop.index }} as (
    select {{ columns | join(", ") }}, true as duplicated
    from {{ model }}
    group by {{ columns | join(", ") }}
    having count(*) > 1
),
{% endfor -%}
{% for column, parent in relationships.items() -%}
parent_{{ loop.index }} as (
    select distinct {{ parent.field }} as parent_key from {{ parent.to }}
),
{% endfor -%}
checked as (
    select
        concat_ws(
            '; ',
            {{ rules | join(",\n            ") }}
        ) as failed_rules,
        checked.*
    from {{ model }} as checked
    {% for column in unique -%}
    left join duplicated_{{ loop.index }} on checked.{{ column }} = duplicated_{{ loop.index }}.duplicated_key
    {% endfor -%}
    {% for columns in unique_combinations -%}
    {%- set combination = "combination_" ~ loop.index %}
    left join {{ combination }} on
        {%- for column in columns %} checked.{{ column }} is not distinct from {{ combination }}.{{ column }}
        {%- if not loop.last %} and{% endif %}{% endfor %}
    {% endfor -%}
    {% for column, parent in relationships.items() -%}
    left join parent_{{ loop.index }} on checked.{{ column }} = parent_{{ loop.index }}.parent_key
    {% endfor %}
)
select *
from checked
where failed_rules != ''
{% endtest %}
