"""The `plans:` namespace: the pages of the plans app (plans/urls.py) and the plan
pages that also show the calendar and the budget (secretariat/views.py), under the
names and addresses they always had. The root URLconf includes this module instead of
plans.urls, so plans never imports the roof."""
from django.urls import path

from plans import urls as plans_urls

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("planer/<int:year>/", views.work_plan_detail, name="work_plan_detail"),
    path("planer/<int:year>/pdf/", views.work_plan_pdf, name="work_plan_pdf"),
    path("planer/<int:year>/jamfor/", views.compare_redirect, name="compare_redirect"),
    path("planer/<int:year>/jamfor/<int:other_year>/", views.compare, name="compare"),
    path("planer/<int:year>/arsredovisning/", views.annual_report, name="annual_report"),
    path("planer/<int:year>/arsredovisning/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    *plans_urls.urlpatterns,
]
