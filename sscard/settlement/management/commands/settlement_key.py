"""`manage.py settlement_key issue <institution code>` prints a new key id and its secret (shown once: give it to
the institution over a secure channel); `revoke <key id>` revokes a key; `list <institution code>` lists the key
ids with their dates (never a secret). Issuing and revoking are audited (`settlement.key_issued` / `key_revoked`,
actor: the command). At most two active keys per institution, for a rotation (docs/settlement.md)."""

from django.core.management.base import BaseCommand, CommandError

from sscard.reference.models import DesignatedInstitution
from sscard.settlement.keys import KeyIssueError, issue_key, revoke_key
from sscard.settlement.models import InstitutionKey


class Command(BaseCommand):
    help = "Issue, revoke or list a designated institution's settlement API keys."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["issue", "revoke", "list"])
        parser.add_argument("target", help="institution code (issue, list) or key id (revoke)")

    def handle(self, *args, action, target, **options):
        if action == "revoke":
            if not revoke_key(key_id=target, actor=None):
                raise CommandError("No active key with this id.")
            self.stdout.write(f"revoked {target}")
            return
        institution = DesignatedInstitution.objects.filter(code=target).first()
        if institution is None:
            raise CommandError("No designated institution with this code.")
        if action == "list":
            for key in InstitutionKey.objects.filter(institution=institution).order_by("created_at"):
                revoked = key.revoked_at.isoformat() if key.revoked_at else "active"
                self.stdout.write(f"{key.key_id}\t{key.created_at.isoformat()}\t{revoked}")
            return
        try:
            key_id, secret = issue_key(institution=institution, actor=None)
        except KeyIssueError:
            raise CommandError("The institution has two active keys: revoke the old one first.") from None
        self.stdout.write(f"key id: {key_id}\nsecret: {secret}")
