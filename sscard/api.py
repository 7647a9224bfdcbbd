"""The JSON API (django-ninja): /api/v1/..., OpenAPI at /api/openapi.json, docs at /api/docs.

Routers live in the apps (`sscard/<app>/api.py`) and are added here. Every error is answered in one shape
(`sscard.apierrors`): the exception handlers below cover what happens inside django-ninja, and
`ApiErrorMiddleware` whatever happens around it.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sscard import apierrors

api = NinjaAPI(
    title="sscard API",
    version="1",
    description="Social security card service: the citizen's own card applications (session login) and the "
                "public progress look-up by office code.\n\n"
                "**Errors.** Every error (status 400 and above) is a JSON object with a stable `code`, a "
                "`detail` sentence in the request's language (`Accept-Language`: zh-Hans, es, en) and "
                "`probable_typo`; a 422 adds `errors`, one entry per invalid parameter. A 429 carries "
                "`Retry-After` (seconds).\n\n"
                "**Session and CSRF.** Operations marked with the session cookie need a citizen's session; "
                "writes (POST) also need the `csrftoken` cookie's value in the `X-CSRFToken` header.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _answer(request, status: int, code: str, detail, *, headers=None, **extra):
    response = api.create_response(request, {"code": code, "detail": str(detail), "probable_typo": False,
                                             **extra}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(apierrors.ApiError)
def _api_error(request, exc: apierrors.ApiError):
    return _answer(request, exc.status, exc.code, exc.detail, headers=exc.headers)


@api.exception_handler(apierrors.CsrfFailed)
def _csrf_failed(request, exc):
    code, detail = apierrors.CSRF_FAILED
    return _answer(request, 403, code, detail)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request, exc):
    return _answer(request, 401, *apierrors.error_for_status(401))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # ninja's own message is English and may name internals: answer the status' code and sentence.
    return _answer(request, exc.status_code, *apierrors.error_for_status(exc.status_code))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _answer(request, 404, *apierrors.error_for_status(404))


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    return _answer(request, 422, *apierrors.error_for_status(422), errors=apierrors.field_errors(exc.errors))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    # Let Django handle it as anywhere else (log it with its traceback, answer 400 for a malformed body,
    # 500 for a crash); ApiErrorMiddleware then answers in the API's shape. ninja's default would answer a
    # traceback in plain text with debug on.
    raise exc


from sscard.applications.api import router as applications_router  # noqa: E402

api.add_router("/v1/", applications_router)
