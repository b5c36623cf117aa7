"""The profile page: a person edits what others see, and nothing is saved half-way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.accounts.models import Profile
from alongside.core.models import AreaOfConcern

URL = reverse("accounts:profile")


def form_data(**overrides):
    data = {
        "display_name": "Steady Heron 42",
        "pronouns": "they/them",
        "languages": ["en", "es"],
        "time_zone": "America/Chicago",
        "areas_of_concern": [str(AreaOfConcern.objects.get(slug="alcohol").pk)],
        "zip_code": "97201",
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def snapshot(profile: Profile) -> tuple:
    profile.refresh_from_db()
    return (
        profile.display_name,
        profile.pronouns,
        profile.languages,
        profile.time_zone,
        profile.zip_code,
        profile.city,
        profile.latitude,
        sorted(profile.areas_of_concern.values_list("slug", flat=True)),
    )


def test_profile_page_shows_what_others_see_and_the_form(client_of, member):
    Profile.objects.filter(user=member).update(
        display_name="Calm Otter 17", zip_code="97201", city="Portland", state="OR"
    )

    response = client_of(member).get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Calm Otter 17" in content
    assert "Portland, OR" in content
    assert '<label for="id_display_name"' in content
    assert "<legend>Mental health</legend>" in content  # areas grouped by their parent
    assert '<optgroup label="Common in the US">' in content
    assert reverse("mfa_index") in content and reverse("account_change_password") in content
    assert 'style="' not in content


def test_editing_the_profile_saves_everything_and_resolves_the_zip_code(client_of, member):
    response = client_of(member).post(URL, form_data())

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert snapshot(profile) == (
        "Steady Heron 42",
        "they/them",
        ["en", "es"],
        "America/Chicago",
        "97201",
        "Portland",
        45.5078,
        ["alcohol"],
    )
    assert profile.state == "OR" and profile.longitude == -122.6897
    assert profile.public_location == "Portland, OR"


def test_clearing_the_zip_code_forgets_the_location(client_of, member):
    client = client_of(member)
    client.post(URL, form_data())

    client.post(URL, form_data(zip_code=""))

    profile = Profile.objects.get(user=member)
    assert (profile.zip_code, profile.city, profile.state, profile.latitude) == ("", "", "", None)
    assert profile.public_location == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"zip_code": "00000"}, "zip_code", "We could not find ZIP code 00000."),
        ({"zip_code": "9720"}, "zip_code", "Enter a 5-digit US ZIP code."),
        (
            {"display_name": "x" * 41},
            "display_name",
            "Ensure this value has at most 40 characters (it has 41).",
        ),
        ({"display_name": "   "}, "display_name", "This field is required."),
        (
            {"pronouns": "p" * 31},
            "pronouns",
            "Ensure this value has at most 30 characters (it has 31).",
        ),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice."),
        (
            {"languages": ["en", "xx"]},
            "languages",
            "Select a valid choice. xx is not one of the available choices.",
        ),
        ({"areas_of_concern": ["999999"]}, "areas_of_concern", "Select a valid choice."),
        ({"preferred_language": "fr"}, "preferred_language", "Select a valid choice."),
    ],
)
def test_bad_input_gets_an_error_next_to_the_field_and_nothing_is_saved(
    client_of, member, overrides, field, message
):
    profile = Profile.objects.get(user=member)
    before = snapshot(profile)

    response = client_of(member).post(URL, form_data(**overrides))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<ul class="errorlist" id="id_{field}_error">' in content
    assert message in content
    assert snapshot(profile) == before


def test_suggest_another_name_with_htmx_returns_only_a_new_input_and_saves_nothing(
    client_of, member
):
    before = snapshot(Profile.objects.get(user=member))

    response = client_of(member).post(
        URL, form_data(display_name="Old Name", suggest_name="1"), headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith("<input")
    assert 'id="id_display_name"' in content and 'value="Old Name"' not in content
    assert 'hx-swap-oob="true"' in content
    assert snapshot(Profile.objects.get(user=member)) == before


def test_suggest_another_name_without_javascript_rerenders_the_form_unsaved(client_of, member):
    before = snapshot(Profile.objects.get(user=member))

    response = client_of(member).post(URL, form_data(display_name="Old Name", suggest_name="1"))

    assert response.status_code == 200
    assert "Save your profile to keep it." in response.content.decode()
    assert 'value="Old Name"' not in response.content.decode()
    assert snapshot(Profile.objects.get(user=member)) == before


def test_profile_page_refuses_other_methods(client_of, member):
    assert client_of(member).put(URL).status_code == 405


def test_profile_page_needs_a_signed_in_person(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anyone_can_only_reach_their_own_profile(client_of, member, outsider):
    """There is no profile id in the URL: the page always shows the signed-in person."""
    Profile.objects.filter(user=member).update(display_name="Member Name")

    response = client_of(outsider).get(URL)

    assert "Member Name" not in response.content.decode()
    assert outsider.profile.display_name in response.content.decode()


def test_public_location_is_the_city_never_the_zip_code(member):
    profile = Profile.objects.get(user=member)
    profile.zip_code, profile.city, profile.state = "97201", "Portland", "OR"
    profile.latitude, profile.longitude = 45.5078, -122.6897

    assert profile.public_location == "Portland, OR"
    assert "97201" not in profile.public_location
    assert "45.5" not in profile.public_location


def test_profile_page_query_count_does_not_grow_with_chosen_areas(client_of, member):
    client = client_of(member)
    profile = Profile.objects.get(user=member)
    profile.areas_of_concern.set(AreaOfConcern.objects.all()[:1])
    client.get(URL)  # warm per-session work (session refresh, caches) out of the count
    with CaptureQueriesContext(connection) as one_area:
        client.get(URL)

    profile.areas_of_concern.set(AreaOfConcern.objects.all())
    with CaptureQueriesContext(connection) as all_areas:
        response = client.get(URL)

    assert response.status_code == 200
    assert len(all_areas) == len(one_area)
