"""Recognition rules shared by the parsers, none of them a parser itself.

``page_chrome`` (web-page breadcrumbs, bullets, metadata rows),
``identity_mentions`` and ``identity_area`` (where a report names its unit and
how its area is found), ``selfeval_flat`` (self-evaluation sheets flattened
onto one line) and ``metric_parts`` (sub-units of staff figures). They hold
rules and vocabulary only: they never run a parser and never import a check.
"""
