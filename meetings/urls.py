import datetime

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(value) from error

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "meetings"

urlpatterns = [
    path("sammantraden/", views.meeting_list, name="meeting_list"),
    path("sammantraden/<slug:body>/<int:year>/", views.body_year_view, name="body_year"),
    path("sammantraden/<slug:body>/<isodate:date>/", views.meeting_detail, name="meeting_detail"),
    path("sammantraden/<slug:body>/<isodate:date>/kallelse.pdf", views.kallelse_pdf, name="kallelse_pdf"),
    path("sammantraden/<slug:body>/<isodate:date>/protokoll.pdf", views.protokoll_pdf, name="protokoll_pdf"),
    path("sammantraden/<slug:body>/<isodate:date>/paragraf/<int:number>/utdrag.pdf", views.extract_pdf, name="extract_pdf"),
    path("sammantraden/<slug:body>/<isodate:date>/handling/<int:pk>/", views.document_file, name="document_file"),
    path("sammantraden/<slug:body>/<isodate:date>/justera/", views.approve, name="approve"),
    path("uppdrag/", views.assignment_list, name="assignment_list"),
]
