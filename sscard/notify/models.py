from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """An in-site message in a user's "My messages"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                             related_name="inbox_messages")
    # As rendered when posted, in the recipient's language then: shown when no key is stored (older rows).
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # The message key and parameters (sscard.notify.texts), rendered in the reader's language when read.
    subject_text = models.JSONField(null=True, blank=True, editable=False)
    body_text = models.JSONField(null=True, blank=True, editable=False)
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
        return self.shown_subject

    @property
    def shown_subject(self) -> str:
        """The subject in the reader's (active) language."""
        from .texts import render_stored

        return render_stored(self.subject_text, self.subject)[:200]

    @property
    def shown_body(self) -> str:
        from .texts import render_stored

        return render_stored(self.body_text, self.body)

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


class PendingDelivery(models.Model):
    """The outbox: one message to deliver, written in the same transaction as the change that caused it.

    A committed change therefore always has its message: the `deliver` task (a worker, or this process when
    there is no broker) sends it and records the outcome here; the beat sweeper re-queues rows whose task
    never reached the broker or never ran. The text is kept only until it has been delivered.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.SMS)
    recipient = models.CharField(_("recipient"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=64)
    text = models.TextField(_("text"), blank=True)  # emptied once delivered (it may hold a one-time code)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)  # masked, never the text
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    gateway = models.CharField(_("gateway"), max_length=32, blank=True)
    gateway_message_id = models.CharField(_("gateway message ID"), max_length=64, blank=True)
    worker = models.CharField(_("delivered by"), max_length=128, blank=True)  # worker host name, or "in-process"

    class Meta:
        verbose_name = _("message to deliver")
        verbose_name_plural = _("outbox (messages to deliver)")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's and the oldest-pending metric's query: small, only undelivered rows.
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                         name="notify_delivery_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} {self.status}"
