from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.core.forms import add_validation_errors
from alongside.core.htmx import HtmxHttpRequest
from alongside.notifications import access, actions
from alongside.notifications.forms import EmailPreferencesForm

PAGE_SIZE = 20


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(access.notifications_of(request.user), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page_obj})


@require_GET
@never_cache
def unread(request: HttpRequest) -> HttpResponse:
    """The header badge alone, for the page's script to swap in when the count changes."""
    return render(request, "notifications/_badge.html")


@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = access.get_notification_for(request.user, notification_id)
    actions.mark_read(request.user, notification=notification)
    return redirect(_local_url(notification.url) or reverse("notifications:list"))


@require_POST
def mark_read(request: HtmxHttpRequest, notification_id: int) -> HttpResponse:
    notification = access.get_notification_for(request.user, notification_id)
    actions.mark_read(request.user, notification=notification)
    if request.htmx:
        return render(request, "notifications/_marked_read.html", {"notification": notification})
    messages.success(request, _("Marked as read."))
    return redirect(_list_url(request.POST.get("page", "")))


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if actions.mark_all_read(request.user):
        messages.success(request, _("All your notifications are marked as read."))
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(
        request.POST if request.method == "POST" else None,
        choices=access.email_choices_of(request.user),
    )
    if form.is_bound and form.is_valid():
        try:
            actions.update_preferences(request.user, choices=form.changeable_choices())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _local_url(url: str) -> str | None:
    """The url if it is a path on this site; notifications never send anyone elsewhere."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


def _list_url(page: str) -> str:
    url = reverse("notifications:list")
    return f"{url}?page={page}" if page.isdigit() else url
