"""One module per lint rule. Adding a rule = adding a module here (one Rule class) and its case file
``tests/lint/cases/<CODE>.yaml``; the registry finds it."""
