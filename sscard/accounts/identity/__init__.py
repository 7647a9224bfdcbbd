"""Identity verification providers (registry pattern: base.py, registry.py, one module per provider)."""
