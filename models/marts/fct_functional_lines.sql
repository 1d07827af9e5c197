-- One amount cell of a function-classified table as printed, and one
-- per-code figure of the 情况说明 narrative (table_kind 'narrative').
{{ line_facts('functional') }}
