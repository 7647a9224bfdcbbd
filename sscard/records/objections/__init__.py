"""Objections to a contribution record and their corrections (docs/records.md, "Objections and corrections")."""
