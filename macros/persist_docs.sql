{#- The models' and columns' descriptions as DuckDB comments, in one statement
    per model. dbt-duckdb's own persist_docs describes the relation twice and
    sends the relation's comment apart (three round trips, each about 20 ms of
    dbt's bookkeeping); a model with an enforced contract needs no describe at
    all, since dbt has already checked that its columns are the documented
    ones (the table materialisation, macros/materialization_table.sql, sends
    such a model's comments in the statement that creates it). Documented
    columns a view lacks are still left out (with dbt's warning), as dbt
    does. -#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- set statements = yibao_docs_statements(relation, model, for_relation, for_columns) -%}
  {%- if statements -%}
    {%- do run_query(statements | join("\n")) -%}
  {%- endif -%}
{%- endmacro %}

{#- The `comment on` statements of a model's description and its columns'. -#}
{% macro yibao_docs_statements(relation, model, for_relation, for_columns) -%}
  {%- set statements = [] -%}
  {%- if for_relation and config.persist_relation_docs() and model.description -%}
    {%- do statements.append(alter_relation_comment(relation, model.description)) -%}
  {%- endif -%}
  {%- if for_columns and config.persist_column_docs() and model.columns -%}
    {%- set columns = model.columns -%}
    {%- if not (model.contract and model.contract.enforced) -%}
      {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute="name") | list -%}
      {%- set columns = validate_doc_columns(relation, model.columns, existing) -%}
    {%- endif -%}
    {%- for name, column in columns.items() -%}
      {%- do statements.append("comment on column " ~ relation ~ "."
          ~ (adapter.quote(name) if column.quote else name)
          ~ " is " ~ duckdb_escape_comment(column.description) ~ ";") -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return(statements) }}
{%- endmacro %}
