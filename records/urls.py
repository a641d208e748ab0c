from django.urls import path

from records import views

urlpatterns = [
    path("holidays/", views.holiday_list, name="holiday_list"),
    path("holidays/<str:day>/remove/", views.holiday_remove, name="holiday_remove"),
]
