"""`manage.py verify_ecard TOKEN [--now SECONDS] [--keys JWKS.json] [--online URL]`: verify an e-card token
offline, and with --online also ask the service at URL for its status (revocation), as a terminal does.

Prints one JSON object: `{"valid": true, "kid": ..., "claims": {...}}` or `{"valid": false, "reason": CODE}`
(codes: unreadable, unknown_key, bad_signature, expired, not_yet_valid; online also revoked); with --online the
status answer is added as `online`. Exits 1 when the token is refused (offline or online).
The keys are this site's (SSCARD_ECARD_KEY_FILE and SSCARD_ECARD_EXTRA_KEYS) unless --keys names a JWK set.
"""

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import requests
from django.core.management.base import BaseCommand, CommandError

from sscard.cards.ecard_keys import key_store
from sscard.domain import ecard


class Command(BaseCommand):
    help = "Verify an electronic card token offline and print its claims or the reason it is refused."

    def add_arguments(self, parser):
        parser.add_argument("token")
        parser.add_argument("--now", type=int, help="the time to verify at, in Unix seconds (default: now)")
        parser.add_argument("--keys", help="a JWK set file of public keys (default: this site's keys)")
        parser.add_argument("--online", metavar="URL",
                            help="also ask the service at URL (e.g. https://sscard.example) for the token's status")

    def _online(self, base_url: str, token: str) -> dict:
        url = f"{base_url.rstrip('/')}/api/v1/ecard/status?{urlencode({'token': token})}"
        try:
            answer = requests.get(url, timeout=10, headers={"Accept": "application/json"})
            data = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"the status check at {base_url} failed: {type(error).__name__}") from error
        if answer.status_code != 200:
            raise CommandError(f"the status check at {base_url} answered {answer.status_code}: {data.get('code')}")
        return data

    def handle(self, *args, token, now, keys, online, **options):
        if keys:
            try:
                public_keys = ecard.keys_from_jwks(json.loads(Path(keys).read_text()))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read the key set {keys}: {error}") from error
        else:
            public_keys = key_store().public_keys
        result = ecard.verify(token, public_keys, int(time.time()) if now is None else now)
        if result.ok:
            answer = {"valid": True, "kid": result.kid, "claims": result.claims}
            if online:
                status = self._online(online, token)
                answer["online"] = status
                if not status.get("valid"):
                    answer.update(valid=False, reason=status.get("status"))
        else:
            answer = {"valid": False, "reason": str(result.reason), "kid": result.kid}
        self.stdout.write(json.dumps(answer, ensure_ascii=False, sort_keys=True))
        if not answer["valid"]:
            raise SystemExit(1)
