"""The default bank adapter: the agency exports a CSV request file, the bank answers with a CSV response
file that staff import. Both formats are documented in docs/formats.md."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from sscard.domain import officecode

from ..lines import ImportRejected, LineError, read_csv, write_csv
from .base import BankAdapter, BankAnswer
from .registry import register

REQUEST_HEADER = ["office_code", "name", "id_number", "sex", "birth_date", "nationality", "phone",
                  "residential_address"]
RESPONSE_HEADER = ["office_code", "outcome", "account_number", "reason"]
ACCOUNT_RE = re.compile(r"^\d{8,32}$")

MSG_CODE = gettext_noop("\"%(value)s\" is not a valid office code.")
MSG_OUTCOME = gettext_noop("The outcome must be OK or FAIL, not \"%(value)s\".")
MSG_ACCOUNT = gettext_noop("An OK line needs the account number (8 to 32 digits).")
MSG_REASON = gettext_noop("A FAIL line needs the reason.")
MSG_DUPLICATE = gettext_noop("Office code %(code)s appears more than once in the file.")


@register("file_exchange")
class FileExchangeAdapter(BankAdapter):
    label = "CSV file exchange"

    def build_request(self, *, exchange, applications) -> tuple[str, bytes]:
        from sscard.domain import regions

        rows = []
        for application in applications:
            address = f"{regions.region_full_name(application.res_district) or ''} {application.res_detail}"
            rows.append([application.office_code, application.subject_name, application.subject_id_number,
                         application.subject_sex, application.subject_birth_date.isoformat(),
                         application.nationality, application.applicant.phone or "", address.strip()])
        return f"{exchange.number}-request.csv", write_csv(REQUEST_HEADER, rows)

    def parse_response(self, data: bytes) -> list[BankAnswer]:
        answers, errors, seen = [], [], set()
        for line, (code, outcome, account, reason) in read_csv(data, RESPONSE_HEADER):
            try:
                compact = officecode.parse(code).compact
            except officecode.OfficeCodeError:
                errors.append(LineError(line, MSG_CODE, {"value": code[:20]}))
                continue
            if compact in seen:
                errors.append(LineError(line, MSG_DUPLICATE, {"code": code}))
                continue
            seen.add(compact)
            outcome = outcome.upper()
            if outcome == "OK":
                if not ACCOUNT_RE.match(account):
                    errors.append(LineError(line, MSG_ACCOUNT))
                    continue
                answers.append(BankAnswer(line, compact, True, account_number=account))
            elif outcome == "FAIL":
                if not reason:
                    errors.append(LineError(line, MSG_REASON))
                    continue
                answers.append(BankAnswer(line, compact, False, reason=reason[:300]))
            else:
                errors.append(LineError(line, MSG_OUTCOME, {"value": outcome[:10]}))
        if errors:
            raise ImportRejected(errors)
        return answers
