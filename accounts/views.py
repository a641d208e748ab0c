from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from accounts import access, duties, notifications, second_factor, selectors, services, sign_in
from accounts.audit import describe, log_list_read
from accounts.choices import ChangeStatus
from accounts.forms import (
    AuditFilterForm,
    DecisionForm,
    OneTimeCodeForm,
    PasswordChangeForm,
    PasswordResetForm,
    ReasonForm,
    ReauthenticateForm,
    SetPasswordForm,
    StaffCreateForm,
    StaffForm,
    StaffSearchForm,
    UnitForm,
)
from accounts.models import Unit
from accounts.reauth import recent_password_required
from common.forms import add_service_errors, filter_status

TEMPORARY_PASSWORD_KEY = "kindred_temporary_password"


class SignInView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        """With a second factor enrolled, the right password only leads to the one-time code."""
        user = form.get_user()
        if second_factor.device_for_sign_in(user) is None:
            return super().form_valid(form)
        sign_in.hold_sign_in(self.request.session, user=user, backend=user.backend, next_url=self.get_success_url())
        return redirect("sign_in_code")


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step of a sign-in with a second factor: the code from the user's authenticator app."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = sign_in.pending_sign_in(request.session)
    device = second_factor.device_for_sign_in(pending.user) if pending else None
    if device is None:
        sign_in.drop_pending_sign_in(request.session)
        return redirect("login")
    # A wrong code counts as a failed sign-in: audited, and towards the lockout of axes.
    credentials = {"username": pending.user.username, "second_factor": True}
    if not AxesProxyHandler.is_allowed(request, credentials):
        sign_in.drop_pending_sign_in(request.session)
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify_sign_in_code(device=device, token=form.cleaned_data["code"]):
            sign_in.drop_pending_sign_in(request.session)
            login(request, pending.user, backend=pending.backend)
            return redirect(pending.next_url)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", "This code is not right, or came too soon after a wrong one. Wait for the next.")
    return render(request, "registration/sign_in_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """Asks for the signed-in user's password again, then returns to the page that asked for it."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse(settings.LOGIN_REDIRECT_URL)
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Through authenticate(), so that axes counts wrong passwords here too and a failure is audited.
        confirmed = authenticate(request, username=request.user.username, password=form.cleaned_data["password"])
        if confirmed is not None and confirmed.pk == request.user.pk:
            sign_in.mark_password_entered(request.session)
            return redirect(next_url)
        form.add_error("password", "This is not your password.")
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@recent_password_required
def second_factor_setup(request):
    """Enrol an authenticator app: show its secret, then take a first code from it."""
    if second_factor.device_for_sign_in(request.user) is not None:
        return render(request, "accounts/second_factor.html", {"enrolled": True})
    device = second_factor.totp_enrolment_start(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.totp_enrolment_confirm(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your second factor is set up: every sign-in now asks for a code from your app.")
            return redirect("home")
    context = {
        "form": form,
        "secret": second_factor.secret_of(device),
        "config_url": device.config_url,
        "required": second_factor.is_required(request.user),
    }
    return render(request, "accounts/second_factor.html", context)


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
    log_list_read(request.user, page, context="Staff list")
    waiting = selectors.staff_change_requests(user=request.user, status=ChangeStatus.PENDING).count()
    return render(
        request,
        "accounts/staff_list.html",
        {
            "form": form,
            "page": page,
            "waiting": waiting,
            # "Move cases" on the rows of the units the viewer supervises (an administrator who is also one).
            "supervised_units": set(access.supervising_units(request.user).values_list("pk", flat=True)),
        },
        status=filter_status(form),
    )


def _waiting(request, change) -> None:
    """Tell the administrator what waits for a second one."""
    messages.info(
        request,
        f"Waiting for another administrator's approval: {selectors.change_summary(change)} "
        f"for {change.account.display_name}.",
    )


@require_http_methods(["GET", "POST"])
@recent_password_required
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


@require_safe
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
@recent_password_required
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
@recent_password_required
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
@recent_password_required
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
@recent_password_required
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


@require_safe
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
                duties.change_request_approve(actor=request.user, request=change)
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


@require_safe
def audit_list(request):
    access.require_capability(request.user, "read_audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_search(user=request.user, **filters)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [(event, describe(event)) for event in page]
    log_list_read(request.user, page, context="Audit log")
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "rows": rows},
        status=filter_status(form),
    )


@require_safe
def audit_target(request, target_type, target_id):
    access.require_capability(request.user, "read_audit")
    history = selectors.target_history(user=request.user, target_type=target_type, target_id=target_id)
    label = next((event.target_label for event, _ in history if event.target_id == target_id), target_id)
    # The context names the record by its label only when its history was shown (a hidden one shows none).
    log_list_read(
        request.user, [event for event, _ in history], context=f"History of {label if history else 'a record'}"
    )
    return render(
        request,
        "accounts/audit_target.html",
        {"history": history, "label": label, "target_type": target_type, "target_id": target_id},
    )


@require_safe
def notification_list(request):
    page = Paginator(notifications.notification_list(request.user), 50).get_page(request.GET.get("page"))
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
