from django.utils.translation import gettext_noop

from .base import IdentityClaim, IdentityMismatch, IdentityProvider
from .registry import register


@register("register")
class PopulationRegisterProvider(IdentityProvider):
    """Checks name + ID number against the population register imported with `import_population`."""

    def verify(self, claim: IdentityClaim) -> None:
        from sscard.accounts.models import PopulationRecord

        record = PopulationRecord.objects.filter(id_number=claim.id_number).only("name").first()
        if record is None or record.name != claim.real_name:
            # One message for both cases: the page must not reveal whether the ID number exists.
            raise IdentityMismatch(gettext_noop(
                "The name and ID number do not match the population register. Check both and try again."
            ))
