from django.urls import path

from records import api

urlpatterns = [
    path("holidays/", api.HolidayList.as_view(), name="api_holiday_list"),
    path("holidays/<str:day>/", api.HolidayDetail.as_view(), name="api_holiday_detail"),
]
