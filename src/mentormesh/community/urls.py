from django.urls import path

from mentormesh.community import views

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event-new"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("events/<int:event_id>/board/", views.event_board, name="event-board"),
    path("events/<int:event_id>/calendar.ics", views.event_ics, name="event-ics"),
    path("events/<int:event_id>/questions/", views.question_new, name="question-new"),
    path("events/<int:event_id>/<str:action>/", views.event_act, name="event-act"),
    path("questions/<int:question_id>/<str:action>/", views.question_act, name="question-act"),
    path("orgs/<slug:slug>/mixers/", views.mixers, name="mixers"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_edit, name="post-new"),
    path("posts/<int:post_id>/", views.post, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post-edit"),
    path("posts/<int:post_id>/<str:action>/", views.post_act, name="post-act"),
]
