from django.urls import path

from mentormesh.experts import views

urlpatterns = [
    path("help/", views.help_home, name="help"),
    path("help/<int:request_id>/", views.help_request, name="help-request"),
    path("help/<int:request_id>/<str:action>/", views.help_act, name="help-act"),
    path("experts/", views.experts, name="experts"),
    path("experts/<str:handle>/", views.expert, name="expert"),
    path("settings/expert/", views.expert_offer, name="expert-offer"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:booking_id>/", views.booking, name="booking"),
    path("bookings/<int:booking_id>/calendar.ics", views.booking_ics, name="booking-ics"),
    path("bookings/<int:booking_id>/<str:action>/", views.booking_act, name="booking-act"),
    path("approvals/", views.approvals, name="approvals"),
    path("orgs/<slug:slug>/sponsorship/", views.sponsorship, name="sponsorship"),
]
