"""Pluggable SMS gateways: `registry.py`, `base.py` and one module per gateway, registered by id."""
