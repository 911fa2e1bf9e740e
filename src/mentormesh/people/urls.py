from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mentormesh.people import views
from mentormesh.people.forms import LoginForm, ResetPasswordForm

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetPasswordForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("people/<str:handle>/", views.person, name="person"),
    path("me/edit/", views.profile_edit, name="profile-edit"),
    # Before the <str:kind> routes, which would otherwise take 'availability' as a kind.
    path(
        "me/availability/add/",
        views.list_change,
        {"kind": "windows", "action": "add"},
        name="window-add",
    ),
    path(
        "me/availability/<int:pk>/remove/",
        views.list_change,
        {"kind": "windows", "action": "remove"},
        name="window-remove",
    ),
    path("me/<str:kind>/add/", views.list_change, {"action": "add"}, name="skill-add"),
    path(
        "me/<str:kind>/<int:pk>/remove/",
        views.list_change,
        {"action": "remove"},
        name="skill-remove",
    ),
    path("skills/options/", views.skill_options, name="skill-options"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("orgs/", views.organizations, name="organizations"),
    path("orgs/new/", views.organization_create, name="organization-create"),
    path("orgs/<slug:slug>/", views.organization, name="organization"),
    path("orgs/<slug:slug>/invite/", views.organization_invite, name="organization-invite"),
    path("orgs/<slug:slug>/import/", views.organization_import, name="organization-import"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
