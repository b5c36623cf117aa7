"""Ready-made pairing stories: an approved supporter, a waiting member, a pairing in any state."""

import pytest

from alongside.testing import make_pairing, make_request, make_supporter_profile


@pytest.fixture
def approved_supporter(supporter, program, coordinator):
    make_supporter_profile(supporter, program, coordinator)
    return supporter


@pytest.fixture
def waiting_member(member, program):
    make_request(member, program)
    return member


@pytest.fixture
def pairing_in(member, approved_supporter, coordinator, program):
    """`pairing_in("paused")` is a pairing of `member` with `supporter` in that state."""

    def make(state="active"):
        return make_pairing(member, approved_supporter, coordinator, program, state)

    return make
