{#- Rank, peer count and median (and, on request, percentile) of `value`
    among the units of the same fiscal year, phase and `group` (province or
    admin_level). Only a known value is ranked, and only among known values:
    a row whose value or group is NULL gets NULL for all of them. Columns:
    <prefix>_rank_in_<group> (1 = largest when `direction` is desc),
    <prefix>_peer_count_in_<group> (how many known values were ranked),
    <prefix>_median_in_<group>, <prefix>_percentile_in_<group> (0–1). -#}
{% macro peer_stats(value, group, prefix, direction, percentile=false) %}
{%- set window -%}
partition by fiscal_year, phase, {{ group }}, ({{ value }} is null)
{%- endset -%}
        case when {{ value }} is not null and {{ group }} is not null then rank() over (
            {{ window }} order by {{ value }} {{ direction }}
        ) end as {{ prefix }}_rank_in_{{ group }},
        case when {{ value }} is not null and {{ group }} is not null then count({{ value }}) over (
            {{ window }}
        ) end as {{ prefix }}_peer_count_in_{{ group }},
        case when {{ value }} is not null and {{ group }} is not null then median({{ value }}) over (
            {{ window }}
        ) end as {{ prefix }}_median_in_{{ group }}
{%- if percentile %},
        case when {{ value }} is not null and {{ group }} is not null then percent_rank() over (
            {{ window }} order by {{ value }}
        ) end as {{ prefix }}_percentile_in_{{ group }}
{%- endif %}
{% endmacro %}
