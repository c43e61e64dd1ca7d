from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmarks: the app answers, with every middleware
    but without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
