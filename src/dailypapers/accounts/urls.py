"""URLs of sign-up, login, passwords and settings under /accounts/, and members' pages."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from dailypapers.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup", views.signup, name="signup"),
    path("accounts/signup/sent", views.signup_sent, name="signup_sent"),
    path("accounts/verify/again", views.resend, name="resend"),
    path("accounts/verify/<str:token>", views.verify, name="verify"),
    path("accounts/login", views.LoginView.as_view(), name="login"),
    path("accounts/logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/reset",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/change",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("accounts/settings", views.account_settings, name="settings"),
]
