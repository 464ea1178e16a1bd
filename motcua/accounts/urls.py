from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.accounts import views, views_sso

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.MotCuaLoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-thuc/", views.otp_verify, name="otp-verify"),
    path("xac-thuc/thiet-lap/", views.otp_setup, name="otp-setup"),
    path("vneid/", views_sso.sso_start, name="oidc-login"),
    path("vneid/ve/", views_sso.sso_callback, name="oidc-callback"),
]
