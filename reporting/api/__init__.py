"""REST API of reporting, one module per concept; ``portal/urls.py`` wires them."""
