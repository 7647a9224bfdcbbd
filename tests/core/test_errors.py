"""One domain error: the applications' and the back office's refusals are the same class, rendered alike."""

from django.utils import translation
from django.utils.translation import gettext_lazy

from sscard.applications.services import ApplicationError
from sscard.casework.services import CaseworkError
from sscard.core.errors import DomainError

MSG_DUPLICATE = "Office code %(code)s appears more than once in the file."
MSG_TRIES = "The code is wrong. You have %(left)d more tries."


def test_both_apps_raise_the_one_domain_error():
    assert issubclass(ApplicationError, DomainError) and issubclass(CaseworkError, DomainError)
    error = CaseworkError("duplicate", MSG_DUPLICATE, {"code": "K7QM-X3P9-C4B"})
    assert isinstance(error, DomainError)
    assert (error.code, error.message, error.params) == ("duplicate", MSG_DUPLICATE, {"code": "K7QM-X3P9-C4B"})


def test_the_message_is_rendered_in_the_active_language():
    # (language, expected), written by hand from the catalogues
    expected = [
        ("zh-hans", "文件中办件码K7QM-X3P9-C4B出现了多次。"),
        ("es", "El código de trámite K7QM-X3P9-C4B aparece más de una vez en el archivo."),
        ("en", "Office code K7QM-X3P9-C4B appears more than once in the file."),
    ]
    for error_class in (ApplicationError, CaseworkError):
        error = error_class("duplicate", MSG_DUPLICATE, {"code": "K7QM-X3P9-C4B"})
        for language, text in expected:
            with translation.override(language):
                assert error.translated() == text


def test_numbers_stay_numbers_and_lazy_text_becomes_text():
    with translation.override("en"):
        assert ApplicationError("tries", MSG_TRIES, {"left": 3}).translated() == \
            "The code is wrong. You have 3 more tries."
        assert CaseworkError("tries", MSG_TRIES, {"left": 2}).translated() == \
            "The code is wrong. You have 2 more tries."
        lazy = gettext_lazy("Coming soon")
        assert DomainError("x", MSG_DUPLICATE, {"code": lazy}).translated() == \
            "Office code Coming soon appears more than once in the file."
        assert DomainError("x", "Coming soon").translated() == "Coming soon"
