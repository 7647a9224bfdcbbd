"""Card-event bank adapters (issue 12): how the events of `BankCardEvent` reach each bank, and how a bank's list
of frozen cards is fetched. A registry of adapters, one module per adapter (`file_exchange`, `http`)."""
