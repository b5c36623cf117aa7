"""Offline: the service worker keeps one page, the crisis lines, for when a page cannot load."""

import pytest
from django.urls import reverse

SW_URL = reverse("core:service_worker")
OFFLINE_URL = reverse("safety:offline")


def test_the_offline_page_has_the_lines_of_the_sites_country_and_is_nobodys_own(
    client, member, program, client_of
):
    program.crisis_line_name = "Riverside night line"
    program.crisis_line_phone = "555 0100"
    program.save()

    for visitor in (client, client_of(member)):
        page = visitor.get(OFFLINE_URL).content.decode()

        assert "This page cannot load right now" in page
        assert 'href="tel:988"' in page and 'href="tel:911"' in page
        # The same page for everyone: nothing of a program or a person, no links into the site.
        assert "Riverside" not in page
        assert member.display_name not in page
        assert "/accounts/" not in page


def test_the_service_worker_keeps_the_offline_page_and_its_styles(client, db):
    response = client.get(SW_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert f'var OFFLINE_URL = "{OFFLINE_URL}";' in script
    assert "alongside/css/alongside" in script and "alongside/css/safety" in script
    assert 'credentials: "omit"' in script


def test_a_change_of_the_lines_is_a_new_service_worker(client, db, settings):
    def version() -> str:
        script = client.get(SW_URL).content.decode()
        return script.split('var CACHE = "alongside-offline-')[1].split('"')[0]

    us = version()
    assert version() == us
    settings.CRISIS_DEFAULT_COUNTRY = "GB"
    assert version() != us


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_offers_the_service_worker(client, member, client_of, signed_in):
    visitor = client_of(member) if signed_in else client
    page = visitor.get(reverse("safety:help_now")).content.decode()

    assert f'data-service-worker="{SW_URL}"' in page
