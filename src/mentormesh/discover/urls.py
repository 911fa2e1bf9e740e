from django.urls import path

from mentormesh.discover import views

urlpatterns = [
    path("board/", views.my_board, name="board"),
    path("people/", views.directory, name="directory"),
    path("orgs/<slug:slug>/shortlists/", views.shortlists, name="shortlists"),
    path("orgs/<slug:slug>/shortlists/<int:run_id>/", views.shortlist_run, name="shortlist-run"),
    path(
        "orgs/<slug:slug>/shortlists/<int:run_id>/csv/",
        views.shortlist_csv,
        name="shortlist-csv",
    ),
]
