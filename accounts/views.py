from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import access, duties, notifications, selectors, services
from accounts.audit import describe
from accounts.choices import ChangeStatus
from accounts.forms import (
    AuditFilterForm,
    DecisionForm,
    PasswordResetForm,
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
    waiting = selectors.staff_change_requests(user=request.user, status=ChangeStatus.PENDING).count()
    return render(request, "accounts/staff_list.html", {"form": form, "page": page, "waiting": waiting})


def _waiting(request, change) -> None:
    """Tell the administrator what waits for a second one."""
    messages.info(
        request,
        f"Waiting for another administrator's approval: {selectors.change_summary(change)} "
        f"for {change.account.display_name}.",
    )


@require_http_methods(["GET", "POST"])
def staff_create(request):
    access.require_capability(request.user, "manage_staff")
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member, generated, change = duties.staff_create(
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
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if change:
                messages.success(
                    request,
                    f"Account {member.username} created. Once its access is approved, {member.display_name} "
                    f"gets an e-mail at {member.email} to set their password.",
                )
                _waiting(request, change)
                return redirect("staff_detail", public_id=member.public_id)
            messages.success(request, f"{member.display_name} can now sign in as {member.username}.")
            if generated:
                request.session[TEMPORARY_PASSWORD_KEY] = {"user": str(member.public_id), "password": generated}
                return redirect("staff_temporary_password", public_id=member.public_id)
            return redirect("staff_detail", public_id=member.public_id)
    return render(request, "accounts/staff_form.html", {"form": form, "creating": True})


def staff_detail(request, public_id):
    member = access.get_staff_member(request.user, public_id)
    history = selectors.target_history(user=request.user, target_type="accounts.user", target_id=str(public_id))
    waiting = [
        (change, selectors.change_summary(change))
        for change in selectors.staff_change_requests(user=request.user, status=ChangeStatus.PENDING).filter(
            account=member
        )
    ]
    return render(request, "accounts/staff_detail.html", {"member": member, "history": history, "waiting": waiting})


@require_http_methods(["GET", "POST"])
def staff_edit(request, public_id):
    member = access.get_staff_member(request.user, public_id)
    form = StaffForm(request.POST or None, initial=StaffForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            change = duties.staff_update(actor=request.user, user=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved {member.display_name}.")
            if change:
                _waiting(request, change)
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
    # Bound on every POST: the reset of an account without a role has no field to send.
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password, change = duties.staff_password_reset(
                actor=request.user, user=member, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if change:
                _waiting(request, change)
                return redirect("staff_detail", public_id=member.public_id)
            request.session[TEMPORARY_PASSWORD_KEY] = {"user": str(member.public_id), "password": password}
            return redirect("staff_temporary_password", public_id=member.public_id)
    by_link = services.holds_access(member)
    return render(request, "accounts/staff_reset_password.html", {"member": member, "form": form, "by_link": by_link})


def staff_temporary_password(request, public_id):
    """Shows a generated password once; reloading the page does not show it again."""
    member = access.get_staff_member(request.user, public_id)
    held = request.session.pop(TEMPORARY_PASSWORD_KEY, None)
    password = held["password"] if held and held["user"] == str(member.public_id) else None
    return render(request, "accounts/staff_temporary_password.html", {"member": member, "password": password})


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
            _, change = duties.unit_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Unit {form.cleaned_data['name']} created.")
            if change:
                _waiting(request, change)
            return redirect("unit_list")
    return render(request, "accounts/unit_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def unit_edit(request, public_id):
    unit = access.get_unit(request.user, public_id)
    form = UnitForm(request.POST or None, initial={"name": unit.name, "supervisor": unit.supervisor})
    if request.method == "POST" and form.is_valid():
        try:
            _, change = duties.unit_change(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Unit {form.cleaned_data['name']} saved.")
            if change:
                _waiting(request, change)
            return redirect("unit_list")
    history = selectors.target_history(user=request.user, target_type="accounts.unit", target_id=str(public_id))
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit, "history": history})


def staff_approvals(request):
    """Changes waiting for a second administrator, and the latest decided ones."""
    access.require_capability(request.user, "manage_staff")
    rows = selectors.change_request_rows(user=request.user)
    return render(request, "accounts/staff_approvals.html", rows)


@require_http_methods(["GET", "POST"])
def staff_approval(request, public_id):
    change = selectors.get_change_request(request.user, public_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                duties.change_request_approve(
                    actor=request.user, request=change, site_url=request.build_absolute_uri("/")
                )
            else:
                duties.change_request_refuse(actor=request.user, request=change, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "Approved" if form.cleaned_data["decision"] == "approve" else "Refused"
            messages.success(request, f"{done}: {selectors.change_summary(change)} for {change.account.display_name}.")
            return redirect("staff_approvals")
    context = {
        "change": change,
        "summary": selectors.change_summary(change),
        "form": form,
        "may_decide": selectors.may_decide(request.user, change),
    }
    return render(request, "accounts/staff_approval.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_set(request, public_id, token):
    """The page a one-time link opens: its account's owner chooses their password."""
    user = duties.password_link_user(public_id, token)
    if user is None:
        return render(request, "registration/password_set_form.html", {"valid_link": False})
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            duties.user_set_password_by_link(
                public_id=public_id, token=token, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
        else:
            messages.success(request, "Your password is set. Sign in with it.")
            return redirect("login")
    return render(request, "registration/password_set_form.html", {"valid_link": True, "form": form, "account": user})


def audit_list(request):
    access.require_capability(request.user, "read_audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_search(user=request.user, **filters)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [(event, describe(event)) for event in page]
    return render(request, "accounts/audit_list.html", {"form": form, "page": page, "rows": rows})


def audit_target(request, target_type, target_id):
    access.require_capability(request.user, "read_audit")
    history = selectors.target_history(user=request.user, target_type=target_type, target_id=target_id)
    label = history[0][0].target_label if history else target_id
    return render(
        request,
        "accounts/audit_target.html",
        {"history": history, "label": label, "target_type": target_type, "target_id": target_id},
    )


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
