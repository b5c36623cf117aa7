"""The public pages are exactly the pinned list; every other URL sends a visitor to sign in."""

from alongside.core.public import PUBLIC_URL_NAMES
from alongside.core.tests.authorization.walker import read_matrix


def test_the_pages_a_visitor_can_open_are_exactly_the_public_list():
    opened_anonymously = {
        row.name
        for row in read_matrix()
        if row.method == "GET" and row.expected["anonymous"] != "login"
    }
    assert opened_anonymously == PUBLIC_URL_NAMES
