from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sscard.accounts"
    label = "accounts"

    def ready(self):
        from axes.signals import user_locked_out

        from .identity import population, rules  # noqa: F401  (each provider module registers itself)
        from .signals import audit_lockout

        user_locked_out.connect(audit_lockout, dispatch_uid="sscard-audit-lockout")
