"""Small helpers the application tests share."""


def edit(row, **changes):
    """Change a configuration row the way an administrator does in the admin: set the fields and save()
    (which also drops the cached configuration)."""
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return row
