"""Partner bank integrations for account pre-opening: a registry of adapters, one module per adapter."""
