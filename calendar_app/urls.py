from django.urls import path

from . import views

app_name = "calendar_app"

urlpatterns = [
    path("kalender/", views.upcoming, name="upcoming"),
    path("kalender.ics", views.feed, name="feed"),
    path("kalender/rotation/", views.rotation, name="rotation"),
    path("kalender/<int:year>/", views.year_view, name="year"),
    path("kalender/handelse/<uuid:uid>/", views.event_detail, name="event_detail"),
    path("kalender/handelse/<uuid:uid>.ics", views.event_ics, name="event_ics"),
    path("kalender/<slug:slug>.ics", views.feed, name="feed_for"),
]
