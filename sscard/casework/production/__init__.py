"""Bank pre-opening and card production batches: the back office's exchanges with partner banks and card
manufacturers (services, selectors, views and URLs under /staff/bank/ and /staff/production/)."""
