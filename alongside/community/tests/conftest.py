"""Community stories: program "riverside" with an open General space and a thread in it."""

import pytest

from alongside.accounts.models import Profile
from alongside.community import actions
from alongside.community.models import Space, SpaceKind
from alongside.testing import make_person

# Carried by the canary's email and display name: it must never appear where others look.
MARKER = "zqcanary7731"


@pytest.fixture
def space(program):
    return Space.objects.create(
        program=program, slug="general", name="General", kind=SpaceKind.GENERAL, position=1
    )


@pytest.fixture
def thread(space, member):
    return actions.start_thread(
        member, space=space, title="Sleeping after rehab", body="How do you sleep?", anonymous=False
    ).item


def thread_url(thread, page=None) -> str:
    url = f"/community/{thread.space.program.slug}/{thread.space.slug}/{thread.pk}/"
    return f"{url}?page={page}" if page else url


@pytest.fixture
def canary(program):
    """A member whose email, display name and pseudonym all carry the marker."""
    person = make_person(program, "member", email=f"{MARKER}@example.test")
    Profile.objects.filter(user=person).update(display_name=f"Sam {MARKER}")
    person.refresh_from_db()
    return person
