"""The agency's holidays page: administrators list, add and remove the days working-day deadlines skip."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import access
from common.forms import add_service_errors
from records import selectors, services
from records.forms import HolidayForm


@require_http_methods(["GET", "POST"])
def holiday_list(request):
    access.require_capability(request.user, "manage_holidays")
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.holiday_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{holiday} added.")
            return redirect("holiday_list")
    return render(request, "records/holiday_list.html", {"holidays": selectors.holidays(), "form": form})


@require_http_methods(["GET", "POST"])
def holiday_remove(request, day):
    access.require_capability(request.user, "manage_holidays")
    holiday = selectors.holiday_on(day)
    if request.method == "POST":
        services.holiday_remove(actor=request.user, holiday=holiday)
        messages.success(request, f"{holiday} removed.")
        return redirect("holiday_list")
    return render(request, "records/holiday_remove.html", {"holiday": holiday})
