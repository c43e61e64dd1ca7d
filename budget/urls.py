from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("budget/", views.budget_list, name="budget_list"),
    path("budget/<int:year>/", views.budget_detail, name="budget_detail"),
    path("budget/<int:year>/avgifter/", views.FeeTableView.as_view(), name="fee_table"),
    path("budget/<int:year>/avgifter/alla.zip", views.fee_zip, name="fee_zip"),
    path("budget/<int:year>/avgifter/<slug:slug>/pdf/", views.fee_pdf, name="fee_pdf"),
]
