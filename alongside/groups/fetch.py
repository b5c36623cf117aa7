"""Fetching a Meeting Guide feed from a URL, for manage.py import_meetings and the import page.

A URL typed into a web page makes the server fetch it, so from the web (`public_only=True`) a
fetch may only reach the public internet: https only, and every address the host resolves to,
on the first request and on each redirect, must be a global one (not private, loopback,
link-local, reserved, shared or multicast). The check is made on the address the socket really
connects to, so a name that resolves differently a second time cannot slip past it.

Either way a fetch gives up after FETCH_TIMEOUT_SECONDS in all and reads at most `max_bytes` + 1
bytes (meetingguide.parse_feed refuses a feed larger than its limit).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.request
from collections.abc import Callable
from urllib.error import URLError
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from alongside.groups import meetingguide

FETCH_TIMEOUT_SECONDS = 30
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Alongside import"


class FetchError(Exception):
    """The feed could not be fetched; the message (translated) says why, for the person who asked."""


def _resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the tests replace this: they have no network)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(_("We could not find the server %(host)s.") % {"host": host}) from error
    return [str(address[4][0]) for address in found]


def is_public_address(address: str) -> bool:
    """True for an address on the public internet; False for private, loopback, link-local,
    reserved, shared, multicast and unspecified addresses (IPv4 inside IPv6 judged as IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses of `host`, or FetchError when it has none or any of them is not public."""
    addresses = _resolve(host, port)
    if not addresses or not all(is_public_address(address) for address in addresses):
        raise FetchError(
            _("%(host)s is not on the public internet, so we will not fetch from it.")
            % {"host": host}
        )
    return addresses


def check_public_url(url: str) -> None:
    """FetchError unless `url` is an https URL whose host is on the public internet."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise FetchError(_("Give an address starting with https://."))
    if not parts.hostname:
        raise FetchError(_("Give the full address of the feed."))
    try:
        port = parts.port or 443
    except ValueError as error:
        raise FetchError(_("Give the full address of the feed.")) from error
    public_addresses(parts.hostname, port)


def _connect_to_public_address(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source=None):  # type: ignore[attr-defined]
    """socket.create_connection, to a vetted address of the host only."""
    host, port = address
    last_error: OSError | None = None
    for ip in public_addresses(host, port):
        try:
            return socket.create_connection((ip, port), timeout, source)
        except OSError as error:
            last_error = error
    raise last_error or OSError(f"Could not connect to {host}")


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection that connects only to public addresses; TLS still checks the name."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_to_public_address


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        # No context given: http.client's default, which checks the certificate and the name.
        return self.do_open(_PublicHTTPSConnection, req)


class _HTTPSOnlyRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects to https addresses only; each one is connected to through the checks."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme != "https":
            raise FetchError(_("The feed's address redirects somewhere other than https."))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(*, public_only: bool) -> urllib.request.OpenerDirector:
    if not public_only:
        return urllib.request.build_opener()
    # Only the handlers named here: no proxies (which would connect for us), no file: or ftp:.
    opener = urllib.request.OpenerDirector()
    for handler in (
        _PublicHTTPSHandler(),
        _HTTPSOnlyRedirectHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _open(request: urllib.request.Request, *, public_only: bool, timeout: float):
    """The response to `request` (the tests replace this: they have no network)."""
    return _opener(public_only=public_only).open(request, timeout=timeout)


def fetch_feed(
    url: str,
    *,
    public_only: bool,
    max_bytes: int = meetingguide.MAX_FEED_BYTES,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The body at `url` (http or https; https to public addresses only when `public_only`), at
    most `max_bytes` + 1 bytes, within FETCH_TIMEOUT_SECONDS; FetchError saying why not."""
    if public_only:
        check_public_url(url)
    elif urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(_("Give an address starting with https://."))
    deadline = clock() + FETCH_TIMEOUT_SECONDS
    # The scheme is checked above, so urllib's file: and other schemes cannot be reached.
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with _open(request, public_only=public_only, timeout=FETCH_TIMEOUT_SECONDS) as response:
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                if clock() > deadline:
                    raise FetchError(_("The server took too long to send the feed."))
                chunk = response.read(min(CHUNK_BYTES, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks)
    except FetchError:
        raise
    except (URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        if isinstance(reason, FetchError):
            raise reason from error
        raise FetchError(
            _("We could not fetch the feed: %(reason)s") % {"reason": reason}
        ) from error
