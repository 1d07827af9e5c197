{#- The key text of a printed name: whitespace (ASCII and full-width),
    brackets, quotes and punctuation removed, Latin letters lower-cased, so
    that 满意度（%） and 满意度 (%) or 【2022】 and [2022] give one key;
    NULL for an empty name. -#}
{% macro name_key(expr) -%}
nullif(regexp_replace(
    lower({{ expr }}),
    '[[:space:]\x{3000}()（）\[\]【】〔〕“”"''‘’、，,。.:：;；！!？?·—\-%％]',
    '', 'g'), '')
{%- endmacro %}
