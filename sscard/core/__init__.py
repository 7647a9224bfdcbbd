"""What every app shares: the domain error, the plugin registry, rate limits, the client address, the
short-lived configuration cache and the abstract status-history row. Imports no feature app."""
