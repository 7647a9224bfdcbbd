"""What the citizen is told when their application reaches a stage: texts (`sscard.notify.texts`), rendered in
the citizen's language when sent and when read."""

from django.utils.translation import gettext_noop

from sscard.domain.casestates import State
from sscard.notify.texts import Text


def stage_notice(to_state: str, *, code: str, stage) -> tuple[Text, Text, Text]:
    """The subject, body and SMS (texts, rendered in the reader's language) telling the citizen that the
    application reached `to_state`. Approval has its own wording: the stage the citizen sees is still "in
    review" while the bank pre-opens the account, but the review itself is done and passed."""
    if to_state == State.BANK_PREOPENING:
        params = {"code": code}
        return (
            Text(gettext_noop("Card application %(code)s: review passed"), params),
            Text(gettext_noop("The review of your social security card application %(code)s is done: it passed. "
                              "The partner bank now pre-opens the account linked to the card; then the card is "
                              "made."), params),
            Text(gettext_noop("[Social security card] Application %(code)s passed the review. The bank now "
                              "pre-opens the card's account, then the card is made. Details online."), params),
        )
    params = {"code": code, "stage": stage}
    return (
        Text(gettext_noop("Card application %(code)s: %(stage)s"), params),
        Text(gettext_noop("Your social security card application %(code)s is now at the stage: %(stage)s."), params),
        Text(gettext_noop("[Social security card] Application %(code)s: %(stage)s. Details online."), params),
    )
