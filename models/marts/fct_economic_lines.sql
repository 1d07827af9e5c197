-- One amount cell of the basic-expenditure table by economic
-- classification, as printed (人员经费/公用经费 totals included).
{{ line_facts('economic') }}
