"""Consultation on the records: questions, answers, ratings, the FAQ (docs/records.md, "Consultation")."""
