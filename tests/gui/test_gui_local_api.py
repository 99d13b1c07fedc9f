"""Settings → Local API: the switch starts a real server on 127.0.0.1 that answers a real
HTTP request with the token, Regenerate replaces the token (the old one is refused), a port
in use is explained, start-up serves when enabled, and quitting frees the port.

Offscreen Qt, the scripted engine; the server is the real ``assistant.api.ApiServer``.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest

from assistant.api import api_token
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from ui.bridge.api_server import ERROR, OFF, RUNNING
from ui.settings.local_api_page import LocalApiPage

pytestmark = pytest.mark.gui


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        yield int(other.getsockname()[1])


def get_models(port: int, token: str | None) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", "/v1/models", headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, json.loads(body) if body else {}
    finally:
        conn.close()


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return True
    return False


def page_of(window) -> LocalApiPage:  # type: ignore[no-untyped-def]
    dialog = window.dialogs.settings_dialog()
    (page,) = [p for p in dialog.pages if isinstance(p, LocalApiPage)]
    return page


def test_api_settings_round_trip(make_core) -> None:  # type: ignore[no-untyped-def]
    core: Core = make_core()
    assert core.settings.api_enabled is False and core.settings.api_port == 8765
    core.save_settings(replace(core.settings, api_enabled=True, api_port=9123))
    assert core.chats.load_settings().api_enabled is True
    assert core.chats.load_settings().api_port == 9123


def test_switch_serves_a_real_api_and_regenerate_replaces_the_token(make_window, qtbot) -> None:
    window = make_window()
    port = free_port()
    page = page_of(window)
    assert window.local_api.state == OFF and page.status.text() == "Off."
    assert page.token.echoMode() == page.token.EchoMode.Password and page.token.text() == api_token()
    page.show_token.click()
    assert page.token.echoMode() == page.token.EchoMode.Normal and page.show_token.text() == "Hide"

    page.enabled.setChecked(True)
    page.port.setValue(port)
    assert page.url.text() == f"http://127.0.0.1:{port}/v1"
    page.save()
    assert window.core.settings.api_enabled and window.core.chats.load_settings().api_port == port
    qtbot.waitUntil(lambda: window.local_api.state == RUNNING, timeout=15_000)
    assert page.status.text() == f"Running at http://127.0.0.1:{port}/v1"
    status, body = get_models(port, page.token.text())
    assert status == 200 and body["object"] == "list" and body["data"]
    assert get_models(port, None)[0] == 401

    old = page.token.text()
    page.confirm = lambda *_: False  # "No": nothing changes
    page.regenerate.click()
    assert page.token.text() == old
    page.confirm = lambda *_: True
    page.regenerate.click()
    new = page.token.text()
    assert new != old and new == api_token()
    qtbot.waitUntil(lambda: window.local_api.state == RUNNING and not window.local_api.busy, timeout=15_000)
    assert get_models(port, new)[0] == 200
    assert get_models(port, old)[0] == 401  # the restarted server checks the new token

    page.enabled.setChecked(False)
    page.save()
    qtbot.waitUntil(lambda: window.local_api.state == OFF and not window.local_api.busy, timeout=15_000)
    assert refused(port) and not window.core.settings.api_enabled


def test_a_port_in_use_is_explained(make_window, qtbot, taken_port: int) -> None:
    window = make_window()
    page = page_of(window)
    page.enabled.setChecked(True)
    page.port.setValue(taken_port)
    page.save()
    qtbot.waitUntil(lambda: window.local_api.state == ERROR, timeout=15_000)
    expected = f"Port {taken_port} is already in use by another program."
    assert page.status.text().startswith(expected) and page.status.objectName() == "errorText"
    assert window.error_bar.isVisible() and window.error_bar.label.text().startswith(expected)


def test_enabled_at_start_up_and_stopped_on_quit(make_window, qtbot, home) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    core = Core.open(engine=ScriptedEngine())
    core.save_settings(replace(core.settings, api_enabled=True, api_port=port))
    window = make_window(core=core)
    qtbot.waitUntil(lambda: window.local_api.state == RUNNING, timeout=15_000)
    assert get_models(port, api_token())[0] == 200
    window.desktop.quit_app()
    assert window.local_api.server is None and refused(port)
