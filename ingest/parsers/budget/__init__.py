"""The pieces of the budget-tables stage (:mod:`ingest.parsers.tables`).

``titles`` finds the tables (title, kind, number, unit), ``grid`` reads a
table's header and rows into raw cells, ``items`` turns them into fact rows.
Only :mod:`ingest.parsers.tables` is a stage; these modules never run a parser
and never import a check.
"""
