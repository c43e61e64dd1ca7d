from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Södertörnssamverkan – administration"
admin.site.site_title = "Södertörn admin"
admin.site.index_title = "Kansliets arbetsyta"

urlpatterns = [
    path("admin/", admin.site.urls),
]
