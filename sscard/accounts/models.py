from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sscard.domain.masking import mask_id_number, mask_name, mask_phone


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    HOUSEHOLD_REGISTER = "household_register", _("Household register")
    HMT_PERMIT = "hmt_permit", _("Hong Kong/Macau/Taiwan residence or travel permit")
    PASSPORT = "passport", _("Passport (overseas Chinese)")
    FOREIGNER_PR = "foreigner_pr", _("Foreigner's permanent residence ID")


class User(AbstractUser):
    """A citizen (registered with their real name) or a member of agency staff.

    Citizens log in with their ID number or phone; `username` is an opaque handle for them.
    Staff log in with their username on the staff login page.
    """

    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    document_type = models.CharField(
        _("document type"), max_length=32, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    id_number = models.CharField(_("ID number"), max_length=32, unique=True, null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=11, unique=True, null=True, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    terms_version = models.CharField(max_length=32, blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    elder_mode = models.BooleanField(default=False)
    # The language SMS, messages and notes reach this person in (blank: not chosen yet, the site's default).
    preferred_language = models.CharField(_("preferred language"), max_length=16, blank=True,
                                          choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Shown wherever a user is printed (admin titles and links, its change log): never the name in clear.
        if self.id_number:
            return f"{mask_name(self.real_name)} {self.masked_id_number}"
        return self.username

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")

    @property
    def is_citizen(self) -> bool:
        return bool(self.id_number) and not self.is_staff


class SmsPurpose(models.TextChoices):
    REGISTER = "register", _("registration")
    LOGIN = "login", _("log in")
    RESET = "reset", _("password reset")
    CHANGE_PHONE = "change_phone", _("phone change")
    CARD_ENABLE = "card_enable", _("enabling a card")
    CARD_PIN_RESET = "card_pin_reset", _("card PIN reset")
    ECARD_ISSUE = "ecard_issue", _("electronic card issue")


class SmsCode(models.Model):
    """A one-time code sent by SMS. Only a keyed hash of the code is stored."""

    phone = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=16, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} code for {mask_phone(self.phone)}"


class PopulationRecord(models.Model):
    """One row of the population register used by the `register` identity provider."""

    id_number = models.CharField(max_length=18, unique=True)
    name = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return mask_id_number(self.id_number)
