"""The live unread badge: the websocket consumer, driven from sync tests (no pytest-asyncio).

channels.testing.WebsocketCommunicator cannot be imported without daphne, which is not a
dependency, so `Websocket` below speaks the same ASGI messages through asgiref's communicator.
"""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from django.conf import settings

from alongside.notifications import actions
from alongside.notifications.routing import websocket_urlpatterns

# The same stack as alongside/asgi.py minus the origin check, so sessions authenticate for real.
application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
PATH = "/ws/notifications/"

pytestmark = pytest.mark.django_db(transaction=True)


class Websocket(ApplicationCommunicator):
    def __init__(self, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        scope = {
            "type": "websocket",
            "path": PATH,
            "query_string": b"",
            "headers": headers or [],
            "subprotocols": [],
        }
        super().__init__(application, scope)

    async def connect(self) -> bool:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout=2)
        return response["type"] == "websocket.accept"

    async def receive_json(self) -> dict:
        response = await self.receive_output(timeout=2)
        assert response["type"] == "websocket.send"
        return json.loads(response["text"])

    async def disconnect(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(timeout=2)


def run(scenario) -> None:
    """Run the coroutine on a fresh event loop in its own thread.

    Not async_to_sync in the test's thread: once the browser tests have started Playwright, an
    event loop is running there for the rest of the session.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, scenario()).result(timeout=30)


def session_cookie_of(client, user) -> list[tuple[bytes, bytes]]:
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode())]


def notify(user, title):
    return actions.notify(user, kind="programs.invitation", title=title)


def test_a_signed_in_person_gets_their_count_and_every_change(member, outsider, client):
    headers = session_cookie_of(client, member)
    notify(member, title="Already waiting")

    async def scenario():
        socket = Websocket(headers)
        assert await socket.connect()
        assert await socket.receive_json() == {"unread": 1}

        await database_sync_to_async(notify)(member, "Something new")
        assert await socket.receive_json() == {"unread": 2}

        # Someone else's notification is not pushed to this person.
        await database_sync_to_async(notify)(outsider, "Not yours")
        assert await socket.receive_nothing(timeout=0.2)

        await database_sync_to_async(actions.mark_all_read)(member)
        assert await socket.receive_json() == {"unread": 0}
        await socket.disconnect()

    run(scenario)


def test_an_anonymous_visitor_is_refused():
    async def scenario():
        assert not await Websocket().connect()

    run(scenario)


def test_an_invalid_session_is_refused():
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}=not-a-session".encode())]

    async def scenario():
        assert not await Websocket(headers).connect()

    run(scenario)
