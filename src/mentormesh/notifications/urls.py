from django.urls import path

from mentormesh.notifications import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/calendar/", views.calendar_address, name="calendar-address"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
