"""Error pages keep a way to help: the 404 and 403 pages have the site's header with "Help now",
and the 500 page lists the crisis lines even when the database is what failed."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import include, path, reverse

from alongside.core import errors

# The site's own addresses and handlers, and two that fail, for the tests marked with this module.
handler429 = "alongside.core.errors.too_many_requests"
handler500 = "alongside.core.errors.server_error"


def _refuse(request):
    raise PermissionDenied


@login_not_required
def _fail(request):
    raise OperationalError("connection refused")  # as if the database had gone


urlpatterns = [
    path("refused/", _refuse),
    path("failing/", _fail),
    path("api/v1/failing/", _fail),
    path("", include("alongside.urls")),
]
with_failing_pages = pytest.mark.urls(__name__)


def test_a_missing_page_is_the_sites_own_with_help_now(client, member, client_of):
    for visitor in (client, client_of(member)):
        response = visitor.get("/no-such-page/")

        assert response.status_code == 404
        page = response.content.decode()
        assert "We could not find that page" in page
        assert f'class="help-now-link" href="{reverse("safety:help_now")}"' in page


@with_failing_pages
def test_a_refusal_is_the_sites_own_with_help_now(member, client_of):
    response = client_of(member).get("/refused/")

    assert response.status_code == 403
    assert "This is not open to you" in response.content.decode()
    assert 'class="help-now-link"' in response.content.decode()


@with_failing_pages
def test_a_failure_of_ours_shows_the_crisis_lines(member, client_of):
    client = client_of(member)
    client.raise_request_exception = False

    response = client.get("/failing/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'href="tel:988"' in page
    assert 'href="tel:911"' in page


def test_the_500_page_asks_nothing_of_the_database(
    rf: RequestFactory, django_assert_num_queries, db
):
    with django_assert_num_queries(0):
        response = errors.server_error(rf.get("/"))

    assert response.status_code == 500
    assert 'href="tel:988"' in response.content.decode()


def test_when_even_the_500_template_fails_the_lines_are_written_out(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template storage gone")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = errors.server_error(rf.get("/"))

    assert response.status_code == 500
    page = response.content.decode()
    assert '<a href="tel:988">988</a>' in page
    assert '<a href="tel:911">911</a>' in page


@with_failing_pages
def test_the_500_page_is_in_the_readers_language(db):
    client = Client(raise_request_exception=False, headers={"accept-language": "es"})

    response = client.get("/failing/")

    assert response.status_code == 500
    page = response.content.decode()
    assert 'lang="es"' in page
    assert "Algo salió mal de nuestro lado" in page


def test_a_form_refused_for_its_token_says_nothing_was_sent_and_offers_help(member, program):
    from alongside.safety.models import Escalation

    # The Help now form, open since before a sign-in elsewhere: its token no longer matches.
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("safety:help_now"), {"consent": "on", "message": "now"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form could not be sent" in page
    assert "Nothing was sent or saved" in page
    assert f'href="{reverse("safety:help_now")}"' in page
    assert not Escalation.objects.exists()


@with_failing_pages
def test_a_failure_in_the_api_answers_json_with_the_crisis_lines(db):
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/failing/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Server error."
    assert body["resources"]["lines"][0]["phone_uri"] == "988"
    assert body["resources"]["emergency_number"] == "911"
