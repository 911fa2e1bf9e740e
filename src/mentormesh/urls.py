from django.contrib import admin
from django.urls import include, path

from mentormesh.api import api
from mentormesh.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("mentormesh.people.urls")),
    path("", include("mentormesh.discover.urls")),
    path("", include("mentormesh.connect.urls")),
    path("", include("mentormesh.community.urls")),
    path("", include("mentormesh.experts.urls")),
    path("", include("mentormesh.notifications.urls")),
    path("", include("mentormesh.web.urls")),
]
