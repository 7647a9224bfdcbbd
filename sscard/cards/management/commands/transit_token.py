"""`manage.py transit_token issue --operator CODE [--label TEXT]`: a new API token for a transit operator, printed
once (only its hash is kept); `manage.py transit_token revoke --token-id ID`; `manage.py transit_token list`."""

from django.core.management.base import BaseCommand, CommandError

from sscard.cards.transit_models import TransitOperator, TransitToken
from sscard.cards.transit_operators import issue_token, revoke_token


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue")
        issue.add_argument("--operator", required=True)
        issue.add_argument("--label", default="")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("--token-id", required=True)
        sub.add_parser("list")

    def handle(self, *args, action, **options):
        if action == "issue":
            try:
                operator = TransitOperator.objects.get(code=options["operator"])
            except TransitOperator.DoesNotExist:
                raise CommandError(f"no transit operator {options['operator']!r}") from None
            token = issue_token(operator=operator, label=options["label"])
            self.stderr.write("The token is shown this once; only its hash is kept. Give it to the operator.")
            self.stdout.write(token)
        elif action == "revoke":
            try:
                token = revoke_token(token_id=options["token_id"])
            except TransitToken.DoesNotExist:
                raise CommandError(f"no token {options['token_id']!r}") from None
            self.stdout.write(f"revoked sht_{token.token_id} of {token.operator.code}")
        else:
            for token in TransitToken.objects.select_related("operator").order_by("operator__code", "created_at"):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                self.stdout.write(f"{token.operator.code}\tsht_{token.token_id}\t{token.created_at:%Y-%m-%d}\t"
                                  f"{state}\t{token.label}")
