from django.urls import path

from reporting import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("dashboard/", views.supervisor_dashboard, name="supervisor_dashboard"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("dashboard/<slug:metric>/", views.dashboard_drilldown, name="dashboard_drilldown"),
]
