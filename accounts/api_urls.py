from django.urls import path

from accounts import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api_me"),
    path("staff/", api.StaffListCreate.as_view(), name="api_staff_list"),
    path("staff/<uuid:public_id>/", api.StaffDetail.as_view(), name="api_staff_detail"),
    path("staff/<uuid:public_id>/deactivate/", api.StaffDeactivate.as_view(), name="api_staff_deactivate"),
    path("staff/<uuid:public_id>/reactivate/", api.StaffReactivate.as_view(), name="api_staff_reactivate"),
    path("staff/<uuid:public_id>/reset-password/", api.StaffResetPassword.as_view(), name="api_staff_reset_password"),
    path("staff-requests/", api.ChangeRequestList.as_view(), name="api_change_request_list"),
    path("staff-requests/<uuid:public_id>/", api.ChangeRequestDetail.as_view(), name="api_change_request_detail"),
    path(
        "staff-requests/<uuid:public_id>/approve/",
        api.ChangeRequestApprove.as_view(),
        name="api_change_request_approve",
    ),
    path(
        "staff-requests/<uuid:public_id>/refuse/",
        api.ChangeRequestRefuse.as_view(),
        name="api_change_request_refuse",
    ),
    path("units/", api.UnitListCreate.as_view(), name="api_unit_list"),
    path("units/<uuid:public_id>/", api.UnitDetail.as_view(), name="api_unit_detail"),
    path("audit-events/", api.AuditEventList.as_view(), name="api_audit_events"),
    path("notifications/", api.NotificationList.as_view(), name="api_notification_list"),
    path("notifications/<uuid:public_id>/read/", api.NotificationRead.as_view(), name="api_notification_read"),
]
