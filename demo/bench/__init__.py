"""The benchmarks, one module per area; `manage.py bench` runs them in this order on one database."""

MODULES = ["accounts", "families", "cases", "investigations", "investigation_page", "load"]
