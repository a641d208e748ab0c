from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/confirm-password/", views.reauthenticate, name="reauthenticate"),
    path("account/second-factor/", views.second_factor_setup, name="second_factor"),
    path("account/set-password/<uuid:public_id>/<str:token>/", views.password_set, name="password_set"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/approvals/", views.staff_approvals, name="staff_approvals"),
    path("staff/approvals/<uuid:public_id>/", views.staff_approval, name="staff_approval"),
    path("staff/<uuid:public_id>/", views.staff_detail, name="staff_detail"),
    path("staff/<uuid:public_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<uuid:public_id>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<uuid:public_id>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<uuid:public_id>/reset-password/", views.staff_reset_password, name="staff_reset_password"),
    path(
        "staff/<uuid:public_id>/temporary-password/",
        views.staff_temporary_password,
        name="staff_temporary_password",
    ),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:public_id>/", views.unit_edit, name="unit_edit"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<str:target_type>/<str:target_id>/", views.audit_target, name="audit_target"),
]
