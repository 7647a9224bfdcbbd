"""Masking of personal data wherever it is shown or logged."""


def mask_id_number(value: str) -> str:
    """`420106199001011234` -> `420106********1234`; short values keep only their last character."""
    if not value:
        return ""
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def mask_phone(value: str) -> str:
    """`13812341234` -> `138****1234`."""
    if not value:
        return ""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return "*" * max(0, len(value) - 4) + value[-4:]


def mask_name(value: str) -> str:
    """`张三丰` -> `张**`: the family name stays, the rest is hidden."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
