from dataclasses import dataclass


@dataclass(frozen=True)
class IdentityClaim:
    real_name: str
    id_number: str  # already normalised and rule-checked


class IdentityMismatch(Exception):
    """The claim does not match the provider's source of truth. `message` is user-facing (English source)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IdentityProvider:
    """Confirms that a real name and ID number belong together. Registered by id with
    `registry.register("<id>")`; `checks()` reports problems with its configuration (system checks)."""

    identifier: str = ""

    def checks(self) -> list:
        return []

    def verify(self, claim: IdentityClaim) -> None:
        """Return if the claim is accepted; raise IdentityMismatch otherwise."""
        raise NotImplementedError
