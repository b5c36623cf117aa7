"""The import page: coordinators load a Meeting Guide feed (a file or a public https address)
and see what it did, record by record; the address is fetched only from the public internet."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from alongside.groups import fetch
from alongside.groups.models import Group, Meeting

FEEDS = Path(__file__).parent / "feeds"


def import_url(program) -> str:
    return reverse("groups:import", args=[program.slug])


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FEEDS / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/json")


def test_a_coordinator_imports_a_feed_file_and_sees_the_counts(client_of, coordinator, program):
    client = client_of(coordinator)
    assert client.get(import_url(program)).status_code == 200

    response = client.post(
        import_url(program), {"feed_file": upload("district_feed.json"), "publish": "on"}
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (6, 0, 0)
    assert b"6 meetings read." in response.content
    assert Meeting.objects.filter(program=program).count() == 6
    assert Group.objects.filter(program=program, is_published=False).count() == 0

    again = client.post(import_url(program), {"feed_file": upload("district_feed.json")})

    assert len(again.context["report"].unchanged) == 6
    assert Meeting.objects.filter(program=program).count() == 6


def test_rejected_records_are_listed_by_record_field_and_message(client_of, coordinator, program):
    response = client_of(coordinator).post(
        import_url(program), {"feed_file": upload("odd_cases.json")}
    )

    content = response.content.decode()
    assert response.context["rejected_count"] > 0
    assert "Meetings left out" in content
    late = next(p for p in response.context["report"].rejected if p.label == "late-night")
    assert f"<td>#{late.index + 1} late-night</td><td>time</td>" in content
    assert escape(late.message) in content
    assert not Meeting.objects.filter(program=program, slug="late-night").exists()


@pytest.mark.parametrize(
    "name,content", [("not_json.csv", None), ("not_a_list.json", None), ("empty.json", b"")]
)
def test_a_feed_that_cannot_be_read_is_an_error_next_to_the_file_and_imports_nothing(
    client_of, coordinator, program, name, content
):
    response = client_of(coordinator).post(
        import_url(program), {"feed_file": upload(name, content)}
    )

    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["feed_file"]
    assert not Meeting.objects.filter(program=program).exists()
    assert not Group.objects.filter(program=program).exists()


def test_a_file_over_the_limit_is_refused_before_reading(
    client_of, coordinator, program, monkeypatch
):
    monkeypatch.setattr("alongside.groups.meetingguide.MAX_FEED_BYTES", 10)

    response = client_of(coordinator).post(
        import_url(program), {"feed_file": upload("district_feed.json")}
    )

    assert "larger than" in response.context["form"].errors["feed_file"][0]
    assert not Meeting.objects.filter(program=program).exists()


def test_a_file_or_an_address_is_needed(client_of, coordinator, program):
    response = client_of(coordinator).post(import_url(program), {})

    assert response.context["form"].non_field_errors()
    assert response.context["report"] is None


def test_a_feed_address_is_fetched_with_the_public_only_guard(
    client_of, coordinator, program, monkeypatch
):
    seen: dict[str, object] = {}

    def fake_open(request, *, public_only, timeout):
        seen.update(url=request.full_url, public_only=public_only, timeout=timeout)
        return io.BytesIO((FEEDS / "district_feed.json").read_bytes())

    monkeypatch.setattr(fetch, "_resolve", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(fetch, "_open", fake_open)

    response = client_of(coordinator).post(
        import_url(program), {"url": "https://meetings.example.org/feed.json"}
    )

    assert len(response.context["report"].created) == 6
    assert seen == {
        "url": "https://meetings.example.org/feed.json",
        "public_only": True,
        "timeout": fetch.FETCH_TIMEOUT_SECONDS,
    }


@pytest.mark.parametrize(
    "url,address",
    [
        ("https://localhost/feed.json", "127.0.0.1"),
        ("https://127.0.0.1/feed.json", "127.0.0.1"),
        ("https://intranet.example/feed.json", "10.1.2.3"),
        ("https://metadata.example/latest", "169.254.169.254"),
        ("https://mapped.example/feed.json", "::ffff:192.168.0.1"),
        ("https://v6.example/feed.json", "::1"),
        ("http://meetings.example.org/feed.json", "93.184.216.34"),
    ],
)
def test_the_page_refuses_addresses_off_the_public_internet(
    client_of, coordinator, program, monkeypatch, url, address
):
    def never_open(*args, **kwargs):
        raise AssertionError("fetched")

    monkeypatch.setattr(fetch, "_resolve", lambda host, port: [address])
    monkeypatch.setattr(fetch, "_open", never_open)

    response = client_of(coordinator).post(import_url(program), {"url": url})

    assert response.context["form"].errors["url"]
    assert not Meeting.objects.filter(program=program).exists()


def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    monkeypatch.setattr(fetch, "_resolve", lambda host, port: ["93.184.216.34", "10.0.0.1"])

    with pytest.raises(fetch.FetchError):
        fetch.check_public_url("https://mixed.example/feed.json")


def test_the_connection_itself_is_checked_so_a_name_cannot_change_its_answer(monkeypatch):
    monkeypatch.setattr(fetch, "_resolve", lambda host, port: ["169.254.169.254"])

    def no_socket(*args, **kwargs):
        raise AssertionError("connected")

    monkeypatch.setattr(fetch.socket, "create_connection", no_socket)

    with pytest.raises(fetch.FetchError):
        fetch._connect_to_public_address(("rebinding.example", 443), 5)


def test_a_redirect_away_from_https_is_refused():
    handler = fetch._HTTPSOnlyRedirectHandler()
    request = fetch.urllib.request.Request("https://meetings.example.org/feed.json")

    with pytest.raises(fetch.FetchError):
        handler.redirect_request(request, None, 302, "Found", {}, "http://10.0.0.1/feed.json")


def test_the_web_opener_has_no_proxy_file_or_plain_http_handlers():
    opener = fetch._opener(public_only=True)
    kinds = {type(handler) for handler in opener.handlers}  # type: ignore[attr-defined]

    assert fetch._PublicHTTPSHandler in kinds
    assert (
        not {
            fetch.urllib.request.ProxyHandler,
            fetch.urllib.request.FileHandler,
            fetch.urllib.request.HTTPHandler,
            fetch.urllib.request.FTPHandler,
        }
        & kinds
    )


def test_reading_stops_one_byte_past_the_limit(monkeypatch):
    monkeypatch.setattr(fetch, "_resolve", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(fetch, "_open", lambda request, **kw: io.BytesIO(b"x" * 1000))

    body = fetch.fetch_feed("https://big.example/feed.json", public_only=True, max_bytes=100)

    assert len(body) == 101


def test_members_and_outsiders_get_404(client_of, program, member, facilitator, outsider):
    for person in (member, facilitator, outsider):
        client = client_of(person)
        assert client.get(import_url(program)).status_code == 404
        assert (
            client.post(
                import_url(program), {"feed_file": upload("district_feed.json")}
            ).status_code
            == 404
        )
    assert not Meeting.objects.filter(program=program).exists()


def test_a_site_admin_may_import(client_of, admin_user, program):
    response = client_of(admin_user).post(
        import_url(program), {"feed_file": upload("district_feed.json")}
    )

    assert len(response.context["report"].created) == 6


def test_a_visitor_is_sent_to_sign_in(client, program):
    response = client.get(import_url(program))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_coordinators_find_the_page_from_the_group_list(client_of, coordinator, member, program):
    link = import_url(program).encode()

    assert link in client_of(coordinator).get(reverse("groups:list")).content
    assert link not in client_of(member).get(reverse("groups:list")).content


def test_imports_are_rate_limited(client_of, coordinator, program):
    client = client_of(coordinator)
    answers = [client.post(import_url(program), {}).status_code for _ in range(11)]

    assert answers[-1] == 429
