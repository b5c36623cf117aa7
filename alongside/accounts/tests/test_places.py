"""ZIP codes resolve offline; nothing here touches the database or the network."""

import pytest

from alongside.accounts.places import Place, resolve_zip_code


def test_a_real_zip_code_resolves_to_its_city_and_centre():
    place = resolve_zip_code("97201")

    assert place == Place(
        zip_code="97201",
        city="Portland",
        state="OR",
        latitude=45.5078,
        longitude=-122.6897,
        time_zone="America/Los_Angeles",
    )


@pytest.mark.parametrize("zip_code", ["00000", "1234", "123456", "abcde", "", "12345-6789"])
def test_unknown_or_malformed_zip_codes_resolve_to_nothing(zip_code):
    assert resolve_zip_code(zip_code) is None
