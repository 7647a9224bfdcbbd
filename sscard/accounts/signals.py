"""Receivers for events raised by libraries (django-axes): they only call services."""


def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    from sscard.audit.services import record_event

    # `username` is our lockout key ("user:<pk>" or a hash), never an ID number or phone.
    record_event(event_type="login.locked_out", subject_type="lockout", subject_id=str(username or "")[:64],
                 request=request)
