{#- The columns of a line-fact mart (fct_functional_lines / fct_economic_lines):
    one amount cell of the given subject family, as printed, with the analysis
    figure and its basis beside it (int_line_items_realigned). -#}
{% macro line_facts(family) %}

with

line_items as (

    select * from {{ ref('int_line_items_realigned') }}
    where subject_family = '{{ family }}'

),

final as (

    select
        {{ surrogate_key(['document_id', 'coalesce(table_no, table_kind)', 'code',
                          'measure_label', 'source_line']) }} as line_id,
        document_id,
        department_id,
        fiscal_year,
        phase,
        table_no,
        table_title,
        table_kind,
        code as line_code,
        subject_code as {{ family }}_code,
        is_total,
        line_name,
        measure,
        measure_label,
        amount_text,
        unit as printed_unit,
        amount_wan_yuan,
        analysis_amount_wan_yuan,
        figure_basis,
        figure_basis_source,
        source_line,
        source_page,
        source_locator,
        source_ocr_confidence as ocr_confidence
    from line_items

)

-- stored sorted by unit, year and code (the dashboard's filters), so DuckDB's
-- row-group min/max let a query for one unit or year skip the rest
select * from final
order by department_id, fiscal_year, {{ family }}_code, line_id

{% endmacro %}
