"""Walk the URL resolver and check each URL against the authorization matrix.

The matrix (matrix.txt beside this file) is the reviewed statement of who may reach what. Every
named URL the project serves must appear in it for GET and POST; a URL missing from the matrix,
or a row for a URL that no longer exists, fails the build, and so does any observed outcome that
differs from the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

PRINCIPALS = (
    "anonymous",
    "member",
    "supporter",
    "facilitator",
    "coordinator",
    "clinician",
    "moderator",
    "admin",
    "outsider",
)
# Every URL is checked for GET and POST (what a browser or a forged form sends); API views are
# checked for each other method they implement as well.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALWAYS_CHECKED = ("GET", "POST")
OUTCOMES = ("ok", "login", "403", "404", "405", "429")

# Django's admin has hundreds of generated URL names that share one rule (staff only); the matrix
# checks its index and login, and the admin's own permission checks cover the rest.
IGNORED_NAMESPACES = ("admin",)
KEPT_ADMIN_NAMES = ("admin:index", "admin:login")

MATRIX_FILE = Path(__file__).with_name("matrix.txt")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    converters: tuple[str, ...]
    methods: tuple[str, ...]


def named_routes() -> dict[str, Route]:
    """Every named URL pattern, by fully namespaced name."""
    found: dict[str, Route] = {}
    for pattern, name, params, callback in _walk(get_resolver().url_patterns, "", None):
        if name is None:
            continue
        if name.split(":")[0] in IGNORED_NAMESPACES and name not in KEPT_ADMIN_NAMES:
            continue
        found.setdefault(name, Route(name, pattern, params, _methods(callback)))
    return found


def _methods(callback) -> tuple[str, ...]:
    """GET and POST, plus PUT/PATCH/DELETE where an API view implements them.

    Django's form views answer PUT as an alias of POST; only the API gives those methods their
    own meaning, so only API views get rows for them.
    """
    view_class = getattr(callback, "cls", None)
    extra = [
        m
        for m in METHODS
        if m not in ALWAYS_CHECKED and view_class and hasattr(view_class, m.lower())
    ]
    return (*ALWAYS_CHECKED, *extra)


def _walk(
    patterns, prefix: str, namespace: str | None
) -> Iterator[tuple[str, str | None, tuple[str, ...], object]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            child_namespace = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), child_namespace)
        elif isinstance(entry, URLPattern):
            name = entry.name
            full_name = f"{namespace}:{name}" if namespace and name else name
            params = tuple(entry.pattern.regex.groupindex)
            yield prefix + str(entry.pattern), full_name, params, entry.callback


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    expected: dict[str, str]
    line: int


def read_matrix(path: Path = MATRIX_FILE) -> list[Row]:
    rows = []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = re.split(r"\s+", line)
        if len(parts) != 2 + len(PRINCIPALS):
            raise ValueError(
                f"matrix.txt:{number}: expected {2 + len(PRINCIPALS)} columns, got {len(parts)}"
            )
        name, method, *outcomes = parts
        if method not in METHODS:
            raise ValueError(f"matrix.txt:{number}: unknown method {method}")
        for outcome in outcomes:
            if outcome not in OUTCOMES:
                raise ValueError(f"matrix.txt:{number}: unknown outcome {outcome}")
        rows.append(Row(name, method, dict(zip(PRINCIPALS, outcomes, strict=True)), number))
    return rows


def classify(response, login_urls: tuple[str, ...]) -> str:
    """Reduce a response to the outcome words of the matrix.

    A 400 means the request got past the gate and was refused for its content, so it counts as
    `ok`: the matrix is about who is let in, the views' own tests about what they accept.
    """
    status = response.status_code
    if status in (301, 302, 303, 307, 308) and response["Location"].split("?")[0].endswith(
        login_urls
    ):
        return "login"
    if status in (401, 403):
        return "login" if status == 401 else "403"
    if status in (404, 405, 429):
        return str(status)
    if status < 500:
        return "ok"
    raise AssertionError(f"server error {status}")
