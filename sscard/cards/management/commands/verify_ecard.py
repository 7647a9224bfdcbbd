"""`manage.py verify_ecard TOKEN [--now SECONDS] [--keys JWKS.json]`: verify an e-card token offline.

Prints one JSON object: `{"valid": true, "kid": ..., "claims": {...}}` or `{"valid": false, "reason": CODE}`
(codes: unreadable, unknown_key, bad_signature, expired, not_yet_valid); exits 1 when the token is refused.
The keys are this site's (SSCARD_ECARD_KEY_FILE and SSCARD_ECARD_EXTRA_KEYS) unless --keys names a JWK set.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sscard.cards.ecard_keys import key_store
from sscard.domain import ecard


class Command(BaseCommand):
    help = "Verify an electronic card token offline and print its claims or the reason it is refused."

    def add_arguments(self, parser):
        parser.add_argument("token")
        parser.add_argument("--now", type=int, help="the time to verify at, in Unix seconds (default: now)")
        parser.add_argument("--keys", help="a JWK set file of public keys (default: this site's keys)")

    def handle(self, *args, token, now, keys, **options):
        if keys:
            try:
                public_keys = ecard.keys_from_jwks(json.loads(Path(keys).read_text()))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read the key set {keys}: {error}") from error
        else:
            public_keys = key_store().public_keys
        result = ecard.verify(token, public_keys, int(time.time()) if now is None else now)
        if result.ok:
            self.stdout.write(json.dumps({"valid": True, "kid": result.kid, "claims": result.claims},
                                         ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(json.dumps({"valid": False, "reason": str(result.reason), "kid": result.kid},
                                     sort_keys=True))
        raise SystemExit(1)
