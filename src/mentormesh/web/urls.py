from django.urls import path

from mentormesh.web import views

urlpatterns = [path("", views.home, name="home")]
