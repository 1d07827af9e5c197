-- Every rank of rpt_functional_spending lies between 1 and its peer count,
-- is given exactly where the amount (and the peer group) is known, and the
-- national rank is never worse than a rank within a smaller peer group.
-- Returns the offending rows; none is expected.

with

spending as (

    select * from {{ ref('rpt_functional_spending') }}

),

offending as (

    {% for suffix, columns in peer_groups() %}
    select document_id, functional_code, 'amount_rank{{ suffix }}' as statistic
    from spending
    where (amount_rank{{ suffix }} is null) <> (amount_wan_yuan is null
              {%- for column in columns %} or {{ column }} is null{% endfor %})
        or (peer_count{{ suffix }} is null) <> (amount_rank{{ suffix }} is null)
        or amount_rank{{ suffix }} not between 1 and peer_count{{ suffix }}
        {%- if columns %}
        or amount_rank{{ suffix }} > amount_rank
        or peer_count{{ suffix }} > peer_count
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from offending
