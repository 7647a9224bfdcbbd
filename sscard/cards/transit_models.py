"""Transit operators, their API tokens, and the hot list of blocked cards they download (imported by models.py).

- `TransitOperator`: a bus or metro company, the city codes (GB/T 2260) it serves. Its list holds the cards of
  the cities it serves that are also transit cities in the service settings.
- `TransitToken`: one credential of an operator, `sht_<token id>.<secret>`; only the SHA-256 of the secret is
  stored (the secret is 32 random bytes, so a plain hash suffices; a slow hash buys nothing). Several per operator
  so that they rotate; revoked, never deleted.
- `HotListChange`: the append-only log. `version` comes from the one-row counter `HotListVersion`, locked and
  incremented inside the card's state-change transaction: writers are serialized, so versions commit in order
  without gaps, and a reader who sees version N has seen every change up to N.
- `HotListEntry`: the cards blocked now (the fold of the log), one row per card, for the full list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransitOperator(models.Model):
    code = models.SlugField(_("operator code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    cities = models.CharField(_("city codes served (GB/T 2260, comma-separated)"), max_length=200,
                              help_text=_("e.g. 420100 for Wuhan"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("transit operator")
        verbose_name_plural = _("transit operators")

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    @property
    def city_codes(self) -> list[str]:
        return sorted({part.strip() for part in self.cities.replace("\n", ",").split(",") if part.strip()})


class TransitToken(models.Model):
    operator = models.ForeignKey(TransitOperator, on_delete=models.PROTECT, related_name="tokens")
    token_id = models.CharField(max_length=24, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transit operator token")
        verbose_name_plural = _("transit operator tokens")

    def __str__(self) -> str:
        return f"sht_{self.token_id}"


class HotListVersion(models.Model):
    """One row (pk 1): the last version given out. Locked by every writer (see the module doc)."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class HotListChange(models.Model):
    ADD, REMOVE = "add", "remove"

    version = models.BigIntegerField(unique=True)
    card_number = models.CharField(max_length=9)
    chip_id = models.CharField(max_length=32)
    city = models.CharField(max_length=6)
    action = models.CharField(max_length=6, choices=[(ADD, ADD), (REMOVE, REMOVE)])
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["version"]
        indexes = [models.Index(fields=["city", "version"], name="hotlist_change_city_version")]

    def __str__(self) -> str:
        return f"{self.version} {self.action} {self.card_number}"


class HotListEntry(models.Model):
    card_number = models.CharField(max_length=9, unique=True)
    chip_id = models.CharField(max_length=32)
    city = models.CharField(max_length=6, db_index=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return self.card_number
