class FieldErrors(Exception):
    """A business action refused, with translated messages per form field ("__all__" for the whole form)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str) -> "FieldErrors":
        return cls({field: [message]})
