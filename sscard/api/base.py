"""What every audience's API shares: one error shape, whatever raised the error (`sscard.apierrors`).

`audience_api(...)` builds a NinjaAPI with the exception handlers below, so an API for a new audience cannot
forget them; `ApiErrorMiddleware` covers whatever happens around django-ninja (unknown paths, wrong methods,
malformed bodies, crashes), for every path under `/api/`.
"""

from django.http import Http404
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sscard import apierrors

ERRORS_DESCRIPTION = (
    "**Errors.** Every error (status 400 and above) is a JSON object with a stable `code`, a `detail` sentence "
    "in the request's language (`Accept-Language`: zh-Hans, es, en) and `probable_typo`; a 422 adds `errors`, "
    "one entry per invalid parameter. A 429 carries `Retry-After` (seconds)."
)


def audience_api(*, title: str, description: str, urls_namespace: str, prefix: str, **options) -> NinjaAPI:
    """A NinjaAPI for one audience, its OpenAPI document at `<prefix>/openapi.json` and its Swagger UI at
    `<prefix>/docs` (relative to `/api/`, GET and HEAD only), answering every error in the API's shape."""
    api = NinjaAPI(title=title, version="1", description=f"{description}\n\n{ERRORS_DESCRIPTION}",
                   urls_namespace=urls_namespace, openapi_url=f"/{prefix}/openapi.json",
                   docs_url=f"/{prefix}/docs", docs_decorator=require_safe, **options)
    install_error_handlers(api)
    return api


def install_error_handlers(api: NinjaAPI) -> None:
    def answer(request, status: int, code: str, detail, *, headers=None, **extra):
        response = api.create_response(request, {"code": code, "detail": str(detail), "probable_typo": False,
                                                 **extra}, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(apierrors.ApiError)
    def api_error(request, exc: apierrors.ApiError):
        return answer(request, exc.status, exc.code, exc.detail, headers=exc.headers)

    @api.exception_handler(apierrors.CsrfFailed)
    def csrf_failed(request, exc):
        code, detail = apierrors.CSRF_FAILED
        return answer(request, 403, code, detail)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return answer(request, 401, *apierrors.error_for_status(401))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja's own message is English and may name internals: answer the status' code and sentence.
        return answer(request, exc.status_code, *apierrors.error_for_status(exc.status_code))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, *apierrors.error_for_status(404))

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        return answer(request, 422, *apierrors.error_for_status(422), errors=apierrors.field_errors(exc.errors))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        # Let Django handle it as anywhere else (log it with its traceback, answer 400 for a malformed body,
        # 500 for a crash); ApiErrorMiddleware then answers in the API's shape. ninja's default would answer
        # a traceback in plain text with debug on.
        raise exc
