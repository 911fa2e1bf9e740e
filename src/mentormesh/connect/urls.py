from django.urls import path

from mentormesh.connect import views

urlpatterns = [
    path("asks/", views.asks, name="asks"),
    path("asks/new/<str:handle>/", views.ask_new, name="ask-new"),
    path("asks/new/<str:handle>/check/", views.ask_check, name="ask-check"),
    path("asks/new/<str:handle>/via/<str:via>/", views.intro_new, name="intro-new"),
    path("asks/<int:ask_id>/", views.ask, name="ask"),
    path("asks/<int:ask_id>/<str:action>/", views.ask_answer, name="ask-answer"),
    path("intros/<int:intro_id>/", views.intro, name="intro"),
    path("intros/<int:intro_id>/<str:action>/", views.intro_answer, name="intro-answer"),
    path("blocks/<str:handle>/", views.block, name="block"),
    path("relationships/", views.relationships, name="relationships"),
    path("relationships/<int:relationship_id>/", views.relationship, name="relationship"),
    path(
        "relationships/<int:relationship_id>/sessions/new/",
        views.session_new,
        name="session-new",
    ),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("sessions/<int:session_id>/calendar.ics", views.session_ics, name="session-ics"),
    path("sessions/<int:session_id>/<str:action>/", views.session_act, name="session-act"),
    path("follow-ups/<int:followup_id>/done/", views.followup_done, name="followup-done"),
]
