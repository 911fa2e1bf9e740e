from django.urls import path

from mentormesh.connect import views

urlpatterns = [
    path("asks/", views.asks, name="asks"),
    path("asks/new/<str:handle>/", views.ask_new, name="ask-new"),
    path("asks/new/<str:handle>/check/", views.ask_check, name="ask-check"),
    path("asks/<int:ask_id>/", views.ask, name="ask"),
    path("asks/<int:ask_id>/<str:action>/", views.ask_answer, name="ask-answer"),
    path("blocks/<str:handle>/", views.block, name="block"),
    path("relationships/", views.relationships, name="relationships"),
    path("relationships/<int:relationship_id>/", views.relationship, name="relationship"),
]
