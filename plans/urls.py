from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("planer/", views.work_plan_list, name="work_plan_list"),
    path("planer/<int:year>/", views.work_plan_detail, name="work_plan_detail"),
    path("planer/<int:year>/pdf/", views.work_plan_pdf, name="work_plan_pdf"),
    path("planer/<int:year>/handlingsplan/", views.ActionPlanView.as_view(), name="action_plan"),
    path("planer/<int:year>/jamfor/", views.compare_redirect, name="compare_redirect"),
    path("planer/<int:year>/jamfor/<int:other_year>/", views.compare, name="compare"),
    path("planer/<int:year>/arsredovisning/", views.annual_report, name="annual_report"),
    path("planer/<int:year>/arsredovisning/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
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
