"""The pieces of the self-evaluation stage (:mod:`ingest.parsers.selfeval`).

``model`` (values and typed tables), one module per layout (``standard``,
``sheets``, ``assessment``) and ``projects``. Only :mod:`ingest.parsers.selfeval`
is a stage; these modules never run a parser and never import a check.
"""
