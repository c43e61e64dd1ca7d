from django.urls import path

from . import views

# Not included by the root URLconf itself: secretariat/urls.py adds the plan pages that
# gather the calendar and budget and includes the whole under the `plans:` namespace.
app_name = "plans"

urlpatterns = [
    path("planer/", views.work_plan_list, name="work_plan_list"),
    path("planer/<int:year>/handlingsplan/", views.ActionPlanView.as_view(), name="action_plan"),
    path("planer/<int:year>/beslut/", views.decisions, name="decisions"),
    path("planer/<int:year>/beslut/<slug:municipality>/protokoll.pdf", views.decision_protocol, name="decision_protocol"),
    path("program/", views.programme_list, name="programme_list"),
    path("program/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("natverk/", views.network_list, name="network_list"),
    path("natverk/<slug:slug>/", views.network_detail_view, name="network_detail"),
    path("dokument/", views.document_list, name="document_list"),
    path("dokument/<slug:slug>/", views.document_detail, name="document_detail"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
