"""CRM exports in: a Salesforce report, a HubSpot export or any CSV becomes a canonical input file (SPEC §2).

A mapping file (YAML, :mod:`compcalc.crm.mapping`) says which export column is which canonical column
and how its values are written; :func:`compcalc.crm.importer.import_export` converts, validates and
reports every row. Each concern lives in its own module: stages, formats, people, renewals, report.
"""
