"""Site admins manage people by email; every user made in the admin gets a profile."""

from django.urls import reverse

from alongside.accounts.models import Profile, User


def test_admin_lists_users_and_profiles(client_of, admin_user, member):
    client = client_of(admin_user)

    users = client.get(reverse("admin:accounts_user_changelist"))
    profiles = client.get(reverse("admin:accounts_profile_changelist"))
    change = client.get(reverse("admin:accounts_user_change", args=[member.pk]))

    assert users.status_code == profiles.status_code == change.status_code == 200
    assert "member@example.test" in users.content.decode()
    assert member.profile.display_name in profiles.content.decode()


def test_admin_creates_a_user_by_email_with_a_profile(client_of, admin_user):
    response = client_of(admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "email": "staff@example.test",
            "usable_password": "true",
            "password1": "a fine long admin passphrase",
            "password2": "a fine long admin passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="staff@example.test")
    assert Profile.objects.filter(user=user).exists()


def test_people_without_admin_rights_cannot_open_the_admin(client_of, member):
    response = client_of(member).get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
