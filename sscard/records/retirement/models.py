"""A person's retirement as the records know it (docs/records.md, "Retirement"): append-only, enforced by the
database (migration records.0009, the guard of `sscard.audit.guard`). A correction is a new row; the person's
latest row (highest id) is their retirement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sscard.domain.masking import mask_id_number


class Retirement(models.Model):
    """The person (ID number) is retired from `retired_from`, as approved under `reference` (the approval's
    number or the reason of a correction), registered by a records officer."""

    id_number = models.CharField(_("ID number"), max_length=18)
    retired_from = models.DateField(_("retired from"))
    reference = models.CharField(_("approval reference"), max_length=255)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("retirement")
        verbose_name_plural = _("retirements")
        # The one read (`selectors.retirement_status`): the person's latest row, one probe of this index.
        indexes = [models.Index(fields=["id_number", "-id"], name="records_retirement_person")]
        permissions = [("register_retirement", "Can register a person's retirement")]

    def __str__(self) -> str:
        return f"{self.masked_id_number}:{self.retired_from.isoformat()}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
