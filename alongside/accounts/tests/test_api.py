"""GET/PATCH /api/v1/me/profile/: the rules of the page, answers that match the OpenAPI schema."""

import pytest

from alongside.accounts.models import Profile
from alongside.testing import assert_matches_schema

URL = "/api/v1/me/profile/"


def test_schema_documents_get_and_patch_only(schema):
    operations = schema["paths"][URL]

    assert set(operations) == {"get", "patch"}
    own_profile = schema["components"]["schemas"]["OwnProfile"]
    assert own_profile["properties"]["email"]["readOnly"] is True
    assert "latitude" not in own_profile["properties"]


def test_get_returns_ones_own_profile_with_email_read_only(client_of, member, schema):
    Profile.objects.filter(user=member).update(
        display_name="Calm Otter 17", zip_code="97201", city="Portland", state="OR"
    )

    response = client_of(member).get(URL)

    body = response.json()
    assert response.status_code == 200
    assert body["email"] == "member@example.test"
    assert body["display_name"] == "Calm Otter 17"
    assert body["public_location"] == "Portland, OR"
    assert "latitude" not in body and "longitude" not in body
    assert_matches_schema(schema, URL, "get", 200, body)


def test_patch_changes_only_the_given_fields_and_resolves_the_zip_code(client_of, member, schema):
    Profile.objects.filter(user=member).update(pronouns="she/her")

    response = client_of(member).patch(
        URL,
        {
            "zip_code": "10001",
            "languages": ["es", "en"],
            "areas_of_concern": ["gambling"],
            "email": "x@evil.test",
        },
        content_type="application/json",
    )

    body = response.json()
    profile = Profile.objects.get(user=member)
    assert response.status_code == 200
    assert (profile.city, profile.state, profile.latitude) == ("New York", "NY", 40.7484)
    assert profile.pronouns == "she/her"
    assert profile.languages == ["es", "en"]
    assert list(profile.areas_of_concern.values_list("slug", flat=True)) == ["gambling"]
    assert body["public_location"] == "New York, NY"
    member.refresh_from_db()
    assert member.email == "member@example.test"  # read-only, silently ignored
    assert_matches_schema(schema, URL, "patch", 200, body)


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"zip_code": "00000"}, "zip_code", "We could not find ZIP code 00000."),
        ({"zip_code": "abcde"}, "zip_code", "Enter a 5-digit US ZIP code."),
        (
            {"display_name": "x" * 41},
            "display_name",
            "Ensure this field has no more than 40 characters.",
        ),
        (
            {"time_zone": "Mars/Olympus_Mons"},
            "time_zone",
            "Mars/Olympus_Mons is not a known time zone.",
        ),
        ({"languages": ["en", "xx"]}, "languages", None),
        ({"areas_of_concern": ["no-such-area"]}, "areas_of_concern", None),
        ({"preferred_language": "fr"}, "preferred_language", '"fr" is not a valid choice.'),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(
    client_of, member, payload, field, message
):
    before = Profile.objects.get(user=member)

    response = client_of(member).patch(
        URL, {"pronouns": "they/them", **payload}, content_type="application/json"
    )

    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert message in str(response.json()[field])
    after = Profile.objects.get(user=member)
    assert (after.pronouns, after.zip_code, after.display_name) == (
        before.pronouns,
        before.zip_code,
        before.display_name,
    )


def test_put_is_not_allowed(client_of, member):
    response = client_of(member).put(URL, {}, content_type="application/json")

    assert response.status_code == 405


def test_anonymous_callers_get_401(client, db):
    assert client.get(URL).status_code == 401


def test_nobody_sees_another_persons_email(client_of, member, outsider):
    body = client_of(outsider).get(URL).json()

    assert body["email"] == "outsider@example.test"
    assert "member@example.test" not in str(body)
