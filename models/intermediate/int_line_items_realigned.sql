-- Every amount cell with an analysis figure beside the printed one.
-- Grain: one amount cell (as int_line_items_classified).
--
-- The rule. Where a `misaligned_columns` issue says a table's amounts are
-- shifted against their codes, the issue names, per code of the shifted
-- block, the amount the report's other statements support (`expected`,
-- `code=amount; …`). For such a code, the row of the same block whose
-- printed total is that amount is where the code's figures were printed:
-- each of the code's cells takes that row's amount in the same column
-- (`realigned`, NULL where that row leaves the column blank), and
-- `figure_basis_source` names the other tables of the report whose totals
-- agree with the supported alignment. Where no single row carries the
-- supported amount, or no other table agrees, the cell is `excluded`
-- (analysis figure NULL). Every other cell is `as_printed`. The printed
-- `amount_wan_yuan` is never changed.

with

line_items as (

    select * from {{ ref('int_line_items_classified') }}

),

issues as (

    select * from {{ ref('stg_raw__quality_issues') }}
    where kind = 'misaligned_columns'

),

-- one row per code the issues name, with the amount other statements support
-- (NULL where two issues support different amounts for one code)
named_codes as (

    select
        issues.document_id,
        regexp_extract(issues.location, '([0-9]+)', 1) as table_no,
        trim(split_part(pairs.pair, '=', 1)) as code,
        try_cast(trim(split_part(pairs.pair, '=', 2)) as decimal(20, 6))
            as supported_total
    from issues
    cross join unnest(regexp_split_to_array(issues.expected, '[;；]')) as pairs (pair)
    where issues.expected like '%=%'

),

supported_codes as (

    select
        document_id,
        table_no,
        code,
        case when count(distinct supported_total) = 1
            then min(supported_total) end as supported_total
    from named_codes
    where table_no <> ''
    group by 1, 2, 3

),

-- cells of numbered tables, where a code prints once per column
cells as (

    select document_id, table_no, code, measure, amount_wan_yuan
    from line_items
    where table_no is not null
    qualify count(*) over (
        partition by document_id, table_no, code, measure) = 1

),

printed_totals as (

    select document_id, table_no, code, amount_wan_yuan
    from cells
    where measure = 'total'

),

-- the rows of the same block whose printed total is the supported amount
source_rows as (

    select
        supported_codes.document_id,
        supported_codes.table_no,
        supported_codes.code,
        count(printed_totals.code) as candidate_count,
        min(printed_totals.code) as source_code
    from supported_codes
    left join supported_codes as block
        on supported_codes.document_id = block.document_id
        and supported_codes.table_no = block.table_no
    left join printed_totals
        on block.document_id = printed_totals.document_id
        and block.table_no = printed_totals.table_no
        and block.code = printed_totals.code
        and abs(printed_totals.amount_wan_yuan
                - supported_codes.supported_total) <= 0.01
    group by 1, 2, 3

),

-- the report's other tables, total column, compared with the alignment
table_agreement as (

    select
        supported_codes.document_id,
        supported_codes.table_no,
        printed_totals.table_no as other_table_no,
        bool_and(abs(printed_totals.amount_wan_yuan
                     - supported_codes.supported_total) <= 0.01) as agrees
    from supported_codes
    inner join printed_totals
        on supported_codes.document_id = printed_totals.document_id
        and supported_codes.code = printed_totals.code
        and supported_codes.table_no <> printed_totals.table_no
    group by 1, 2, 3

),

supporting_tables as (

    select
        document_id,
        table_no,
        string_agg('table ' || other_table_no, ', ' order by other_table_no)
            as figure_basis_source
    from table_agreement
    where agrees
    group by 1, 2

),

decided as (

    select
        source_rows.document_id,
        source_rows.table_no,
        source_rows.code,
        case
            when source_rows.candidate_count = 1
                and supporting_tables.figure_basis_source is not null
                then source_rows.source_code
        end as source_code,
        supporting_tables.figure_basis_source
    from source_rows
    left join supporting_tables
        on source_rows.document_id = supporting_tables.document_id
        and source_rows.table_no = supporting_tables.table_no

),

analysed as (

    select
        line_items.*,
        case
            when decided.code is null then line_items.amount_wan_yuan
            else source_cell.amount_wan_yuan
        end as analysis_amount_wan_yuan,
        case
            when decided.code is null then 'as_printed'
            when decided.source_code is null then 'excluded'
            else 'realigned'
        end as figure_basis,
        case
            when decided.source_code is not null
                then decided.figure_basis_source
        end as figure_basis_source
    from line_items
    left join decided
        on line_items.document_id = decided.document_id
        and line_items.table_no = decided.table_no
        and line_items.code = decided.code
    left join cells as source_cell
        on decided.document_id = source_cell.document_id
        and decided.table_no = source_cell.table_no
        and decided.source_code = source_cell.code
        and line_items.measure = source_cell.measure

)

select * from analysed
