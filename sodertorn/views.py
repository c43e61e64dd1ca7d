import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmarks: the app answers, with every middleware
    but without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def archive_missing(request: HttpRequest, *, what: str) -> HttpResponse:
    """The answer where an archived file must be served and its archive row is gone
    (never a new rendering from live data, which would pass for the archived one).
    Logged as an error: the archive has been tampered with (run verify_archives)."""
    logger.error("Arkivet saknas: %s (%s). Kör manage.py verify_archives.", what, request.path)
    return HttpResponse(
        f"{what} finns inte i arkivet. Den arkiverade handlingen kan inte visas, och en ny "
        "återgivning skulle inte vara den som beslutades. Kansliet har fått ett felmeddelande.\n",
        status=500, content_type="text/plain; charset=utf-8",
    )
