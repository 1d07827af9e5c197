{#- The view materialisation, in one transaction: `create or replace view`
    (after dropping a table of the same name), then its comments, between
    BEGIN and COMMIT — instead of dbt's create under a temporary name,
    rename the old view away, rename the new one in, commit, drop the old
    one. A failure leaves the old view as it was. An enforced contract on a
    view is checked first with dbt's own `assert_columns_equivalent`; the
    comments are macros/persist_docs.sql's (a view's columns are read first,
    so a documented column it lacks is left out with dbt's warning). -#}
{% materialization view, adapter="duckdb" %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type="view") -%}
  {%- if model.contract and model.contract.enforced -%}
    {%- do get_assert_columns_equivalent(sql) -%}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement("main") -%}
    {%- if existing_relation is not none and not existing_relation.is_view %}
    drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif %}
    create or replace view {{ target_relation }} as (
{{ sql }}
    );
  {%- endcall %}
  {%- if existing_relation is not none and not existing_relation.is_view -%}
    {%- do adapter.cache_dropped(existing_relation) -%}
  {%- endif -%}
  {%- do persist_docs(target_relation, model) -%}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
