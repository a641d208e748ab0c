"""The case list: search and filters over every case the viewer may see, closed ones included."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import access
from cases.forms.case_list import CaseSearchForm
from cases.selectors.case_list import CaseFilters, case_search

CASES_PER_PAGE = 50


@require_safe
def case_list(request):
    access.require_capability(request.user, "work_cases")
    form = CaseSearchForm(request.GET or None)
    filters = form.filters() if form.is_valid() else CaseFilters()
    page = Paginator(case_search(request.user, filters), CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "supervises": access.has_capability(request.user, "supervise_units"),
        },
    )
