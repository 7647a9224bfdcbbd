"""Placeholder replaced below."""
from sscard.domain.declaration import MAX_ERRORS_SHOWN


def shown_errors(errors):
    return errors[:MAX_ERRORS_SHOWN], max(0, len(errors) - MAX_ERRORS_SHOWN)
