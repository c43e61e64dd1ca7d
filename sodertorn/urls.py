from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import health

admin.site.site_header = "Södertörnssamverkan – administration"
admin.site.site_title = "Södertörn admin"
admin.site.index_title = "Kansliets arbetsyta"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("secretariat.urls")),  # the plans: namespace, plans.urls included
    path("", include("calendar_app.urls")),
    path("", include("budget.urls")),
    path("", include("meetings.urls")),
]
