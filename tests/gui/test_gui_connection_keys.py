"""The connections dialog: the visible choice for sending a key over http, and where keys go."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from assistant.core import Core

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot, core: Core):  # type: ignore[no-untyped-def]
    from ui.models.connections_tab import ConnectionsTab

    widget = ConnectionsTab(core)
    qtbot.addWidget(widget)
    return widget


def fill(tab, url: str, key: str = "sk-1") -> None:  # type: ignore[no-untyped-def]
    tab.url.setText(url)
    tab.model.setText("m")
    tab.api_key.setText(key)


def test_a_key_over_http_to_another_machine_needs_the_visible_choice(tab, core: Core) -> None:  # type: ignore[no-untyped-def]
    fill(tab, "http://gpu.example.org:8000")
    assert not tab.http_choice.isHidden() and not tab.allow_http.isChecked()
    assert tab.add_from_form() is None
    assert "unencrypted" in tab.message.text() and core.connections.list() == []
    tab.allow_http.setChecked(True)
    new_id = tab.add_from_form()
    assert new_id and core.connections.get(new_id).allow_insecure_http  # type: ignore[union-attr]


@pytest.mark.parametrize("url", ["gpu.example.org:8000", "https://gpu.example.org", "http://localhost:8000"])
def test_https_and_this_machine_need_no_choice(tab, core: Core, url: str) -> None:  # type: ignore[no-untyped-def]
    fill(tab, url)
    assert tab.http_choice.isHidden()
    new_id = tab.add_from_form()
    assert new_id and not core.connections.get(new_id).allow_insecure_http  # type: ignore[union-attr]
    assert core.connections.get(new_id).api_key == "sk-1"  # type: ignore[union-attr]


def test_with_a_keyring_there_is_no_note(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.key_note.isHidden()


def test_without_a_keyring_the_dialog_says_where_the_key_is_kept(qtbot, core: Core) -> None:  # type: ignore[no-untyped-def]
    from ui.models.connections_tab import ConnectionsTab

    keyring.set_keyring(fail.Keyring())
    tab = ConnectionsTab(core)
    qtbot.addWidget(tab)
    assert not tab.key_note.isHidden() and "api-keys.json" in tab.key_note.text()
    fill(tab, "https://gpu.example.org")
    assert tab.add_from_form()
    assert "No system keyring" in tab.message.text()
