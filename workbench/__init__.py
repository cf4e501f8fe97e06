"""Contract Workbench: browse, diff, simulate and safely edit an internal developer contract."""

__version__ = "0.1.0"
