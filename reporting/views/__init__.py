"""Pages of reporting, one module per concept."""
