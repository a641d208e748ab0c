from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from accounts import access, notifications, selectors, services
from accounts.audit import describe
from accounts.forms import (
    AuditFilterForm,
    ReasonForm,
    StaffCreateForm,
    StaffForm,
    StaffSearchForm,
    UnitForm,
    add_service_errors,
)
from accounts.models import Unit

TEMPORARY_PASSWORD_KEY = "kindred_temporary_password"


class SignInView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@require_safe
def home(request):
    return render(request, "home.html")


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
        else:
            # Django gives the session a new key here; keep tracking it so deactivation still ends it.
            old_key = request.session.session_key
            update_session_auth_hash(request, user)
            services.track_session(user=user, session_key=request.session.session_key, replaces=old_key)
            messages.success(request, "Your password was changed.")
            return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})


@require_safe
def staff_list(request):
    access.require_capability(request.user, "manage_staff")
    form = StaffSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.staff_search(
        user=request.user,
        q=filters.get("q", ""),
        role=filters.get("role", ""),
        unit=filters.get("unit"),
        status=filters.get("status", ""),
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
def staff_create(request):
    access.require_capability(request.user, "manage_staff")
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member, generated = services.user_create(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=data["roles"],
                unit=data["unit"],
                clearance_sensitive=data["clearance_sensitive"],
                clearance_sealed=data["clearance_sealed"],
                password=data["password"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.display_name} can now sign in as {member.username}.")
            if generated:
                request.session[TEMPORARY_PASSWORD_KEY] = {"user": str(member.public_id), "password": generated}
                return redirect("staff_temporary_password", public_id=member.public_id)
            return redirect("staff_detail", public_id=member.public_id)
    return render(request, "accounts/staff_form.html", {"form": form, "creating": True})


@require_safe
def staff_detail(request, public_id):
    member = access.get_staff_member(request.user, public_id)
    history = selectors.target_history(user=request.user, target_type="accounts.user", target_id=str(public_id))
    return render(request, "accounts/staff_detail.html", {"member": member, "history": history})


@require_http_methods(["GET", "POST"])
def staff_edit(request, public_id):
    member = access.get_staff_member(request.user, public_id)
    form = StaffForm(request.POST or None, initial=StaffForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {member.display_name}.")
            return redirect("staff_detail", public_id=member.public_id)
    return render(request, "accounts/staff_form.html", {"form": form, "member": member})


def _reason_action(request, public_id, service, template_name: str, done: str):
    member = access.get_staff_member(request.user, public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, user=member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.display_name} {done}.")
            return redirect("staff_detail", public_id=member.public_id)
    return render(request, template_name, {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
def staff_deactivate(request, public_id):
    return _reason_action(
        request, public_id, services.user_deactivate, "accounts/staff_deactivate.html", "was deactivated"
    )


@require_http_methods(["GET", "POST"])
def staff_reactivate(request, public_id):
    return _reason_action(
        request, public_id, services.user_reactivate, "accounts/staff_reactivate.html", "was reactivated"
    )


@require_http_methods(["GET", "POST"])
def staff_reset_password(request, public_id):
    member = access.get_staff_member(request.user, public_id)
    if request.method == "POST":
        password = services.user_reset_password(actor=request.user, user=member)
        request.session[TEMPORARY_PASSWORD_KEY] = {"user": str(member.public_id), "password": password}
        return redirect("staff_temporary_password", public_id=member.public_id)
    return render(request, "accounts/staff_reset_password.html", {"member": member})


@require_safe
def staff_temporary_password(request, public_id):
    """Shows a generated password once; reloading the page does not show it again."""
    member = access.get_staff_member(request.user, public_id)
    held = request.session.pop(TEMPORARY_PASSWORD_KEY, None)
    password = held["password"] if held and held["user"] == str(member.public_id) else None
    return render(request, "accounts/staff_temporary_password.html", {"member": member, "password": password})


@require_safe
def unit_list(request):
    access.require_capability(request.user, "manage_staff")
    units = Unit.objects.select_related("supervisor").prefetch_related("members")
    return render(request, "accounts/unit_list.html", {"units": units})


@require_http_methods(["GET", "POST"])
def unit_create(request):
    access.require_capability(request.user, "manage_staff")
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Unit {form.cleaned_data['name']} created.")
            return redirect("unit_list")
    return render(request, "accounts/unit_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def unit_edit(request, public_id):
    unit = access.get_unit(request.user, public_id)
    form = UnitForm(request.POST or None, initial={"name": unit.name, "supervisor": unit.supervisor})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Unit {form.cleaned_data['name']} saved.")
            return redirect("unit_list")
    history = selectors.target_history(user=request.user, target_type="accounts.unit", target_id=str(public_id))
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit, "history": history})


@require_safe
def audit_list(request):
    access.require_capability(request.user, "read_audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_search(user=request.user, **filters)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [(event, describe(event)) for event in page]
    return render(request, "accounts/audit_list.html", {"form": form, "page": page, "rows": rows})


@require_safe
def audit_target(request, target_type, target_id):
    access.require_capability(request.user, "read_audit")
    history = selectors.target_history(user=request.user, target_type=target_type, target_id=target_id)
    label = history[0][0].target_label if history else target_id
    return render(
        request,
        "accounts/audit_target.html",
        {"history": history, "label": label, "target_type": target_type, "target_id": target_id},
    )


@require_safe
def notification_list(request):
    page = Paginator(notifications.notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_list.html", {"page": page})


@require_http_methods(["POST"])
def notification_read(request):
    """Mark one notification read (with `id`) or all of them, then follow its link if it has one."""
    public_id = request.POST.get("id") or None
    try:
        notifications.notifications_mark_read(user=request.user, public_id=public_id)
    except ValidationError:
        raise Http404 from None
    note = notifications.notifications_for(request.user).filter(public_id=public_id).first() if public_id else None
    if note and note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts={request.get_host()}):
        return redirect(note.link)
    return redirect("notification_list")
