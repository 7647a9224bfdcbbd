"""Bank payment files (contributions) as plugins: `base.py` (what a format does), `registry.py` (the registry),
one module per format registered by id (`csv_bank.py`: "csv"). See docs/formats.md."""
