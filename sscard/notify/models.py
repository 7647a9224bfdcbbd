from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """An in-site message in a user's "My messages"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                             related_name="inbox_messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True,
                            help_text=_("A page of this site the message refers to, e.g. /card/applications/12"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notify_msg_user_unread_idx")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxSms(models.Model):
    """An SMS "sent" by the development outbox gateway: kept here instead of being delivered."""

    phone = models.CharField(_("mobile phone"), max_length=32)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=64)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    gateway_message_id = models.CharField(_("gateway message ID"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("SMS in the outbox")
        verbose_name_plural = _("SMS in the outbox")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M:%S}"
