"""A hospital information system's client of the settlement API: signs every request as an institution does
(`domain/settlement_signing.py`) and sends it through a transport, so that the same client drives the tests
(Django's test client), `manage.py simulate_hospital` and the benchmark (HTTP)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sscard.domain import settlement_signing as signing

PREFIX = "/api/settlement/v1/"

# post(path, body, headers) -> (status, parsed JSON body)
Transport = Callable[[str, bytes, dict], tuple[int, dict]]


def django_transport(client) -> Transport:
    def post(path: str, body: bytes, headers: dict) -> tuple[int, dict]:
        response = client.post(path, data=body, content_type="application/json", headers=headers)
        return response.status_code, response.json()
    return post


def http_transport(base_url: str, session=None) -> Transport:
    import requests

    session = session or requests.Session()

    def post(path: str, body: bytes, headers: dict) -> tuple[int, dict]:
        response = session.post(base_url.rstrip("/") + path, data=body,
                                headers={**headers, "Content-Type": "application/json"}, timeout=30)
        return response.status_code, response.json()
    return post


@dataclass
class HospitalClient:
    institution: str
    key_id: str
    secret: str
    transport: Transport
    clock: Callable[[], float] = time.time
    sent: list = field(default_factory=list)

    def headers(self, path: str, body: bytes, *, nonce: str | None = None, timestamp: int | None = None) -> dict:
        return signing.signed_headers(institution=self.institution, key_id=self.key_id, secret=self.secret.encode(),
                                      method="POST", path=path, body=body,
                                      timestamp=int(self.clock()) if timestamp is None else timestamp,
                                      nonce=nonce or secrets.token_urlsafe(18))

    def call(self, operation: str, payload: dict, **signing_options) -> tuple[int, dict]:
        path = PREFIX + operation
        body = json.dumps(payload, ensure_ascii=False).encode()
        return self.transport(path, body, self.headers(path, body, **signing_options))

    @staticmethod
    def msgid() -> str:
        return "m" + secrets.token_hex(12)

    def person(self, identity: dict):
        return self.call("1101", {"identity": identity})

    def register(self, identity: dict, med_type: str, msgid: str | None = None):
        return self.call("2201", {"msgid": msgid or self.msgid(), "identity": identity, "med_type": med_type})

    def claim(self, operation: str, identity: dict, *, med_type: str, total: int, eligible: int,
              acct_used: bool = True, mdtrt_id: str = "", msgid: str | None = None):
        return self.call(operation, {"msgid": msgid or self.msgid(), "identity": identity, "mdtrt_id": mdtrt_id,
                                     "med_type": med_type, "medfee_sumamt": total, "inscp_scp_amt": eligible,
                                     "acct_used_flag": acct_used})

    def pre_settle(self, identity: dict, **claim):
        return self.claim("2206", identity, **claim)

    def settle(self, identity: dict, **claim):
        return self.claim("2207", identity, **claim)

    def cancel(self, setl_id: str, msgid: str | None = None):
        return self.call("2208", {"msgid": msgid or self.msgid(), "setl_id": setl_id})

    def totals(self, day: str, theirs: dict):
        return self.call("3201", {"stmt_date": day, **theirs})

    def detail(self, day: str, lines: list[dict]):
        return self.call("3202", {"stmt_date": day, "lines": lines})
