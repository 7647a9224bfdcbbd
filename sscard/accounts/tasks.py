"""Account tasks (queue `notify`, with the SMS they lead to)."""

from celery import shared_task

from . import smscodes


@shared_task(name="sscard.accounts.send_code")
def send_code(code_id: int, only_to_account: bool, language: str) -> None:
    """Give a one-time code row its code and send it (see `smscodes.deliver_code`). Only the row id travels
    through the broker, never the phone number or the code; nothing is returned (a result would say whether
    the number has an account)."""
    smscodes.deliver_code(code_id=code_id, only_to_account=only_to_account, language=language)
