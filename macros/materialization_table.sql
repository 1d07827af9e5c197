{#- The table materialisation, in one statement and one transaction.

    dbt-duckdb's own builds the table under a temporary name, renames the
    old table out of the way, renames the new one in, comments it, commits
    and drops the old one: about ten statements a table, each with some
    20-40 ms of dbt's own bookkeeping. Here the old table (or a view of the
    same name) is dropped and the new one created and commented in one
    statement between BEGIN and COMMIT, so a failure anywhere leaves the old
    table as it was (DuckDB's DDL is transactional).

    Everything else is dbt-duckdb's: `duckdb__create_table_as` writes the
    table (for an enforced contract it first checks the query's columns
    against the contract with dbt's own `assert_columns_equivalent`, then
    creates the typed table with its constraints and inserts), and the
    comments are `yibao_docs_statements` (macros/persist_docs.sql). A table
    without an enforced contract is commented after it is created, since
    its columns must be read first. Hooks run where dbt runs them; grants
    are not supported (a DuckDB file has none). -#}
{% materialization table, adapter="duckdb" %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type="table") -%}
  {%- set contracted = model.contract and model.contract.enforced -%}
  {%- set docs = yibao_docs_statements(target_relation, model, true, true) if contracted else [] -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement("main") -%}
    {%- if existing_relation is not none %}
    drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif %}
    {{ duckdb__create_table_as(False, target_relation, sql) }}
    {{ docs | join("\n") }}
  {%- endcall %}
  {%- if existing_relation is not none -%}
    {%- do adapter.cache_dropped(existing_relation) -%}
  {%- endif -%}
  {%- if not contracted -%}
    {%- do persist_docs(target_relation, model) -%}
  {%- endif -%}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
