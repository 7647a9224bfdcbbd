from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("register", views.register, name="register"),
    path("login", views.login_view, name="login"),
    path("login/sms", views.login_sms, name="login_sms"),
    path("logout", views.logout_view, name="logout"),
    path("password-reset", views.password_reset, name="password_reset"),
    path("", views.space, name="space"),  # the personal space, where a citizen lands after logging in
    path("home", views.home, name="home"),  # "My homepage", reached from the personal space
    path("profile", views.profile, name="profile"),
    path("profile/phone", views.change_phone, name="change_phone"),
    path("profile/password", views.change_password, name="change_password"),
    path("staff/login", views.staff_login, name="staff_login"),
    path("staff/", views.staff_home, name="staff_home"),
]
