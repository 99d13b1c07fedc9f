"""A Bearer key never crosses the network in clear unless the user chose it: addresses default to
https for other machines, http with a key needs an explicit choice, and the engine refuses at
request time too (defence in depth)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.engine.base import EngineConfig, EngineError, RemoteConfig
from assistant.engine.openai_http import connect, is_loopback, key_in_clear, send
from assistant.engine.remote import RemoteEngine
from assistant.models.connections import ConnectionError_, ConnectionStore, normalise_url
from assistant.store.db import Database
from tests.support.remote_fixtures import FakeOpenAIServer


@pytest.mark.parametrize(("typed", "stored"), [
    ("api.example.com", "https://api.example.com/v1"),
    ("api.example.com:8443/v1/", "https://api.example.com:8443/v1"),
    ("192.168.1.20:8000", "https://192.168.1.20:8000/v1"),
    ("localhost:8000", "http://localhost:8000/v1"),
    ("127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
    ("127.4.5.6", "http://127.4.5.6/v1"),
    ("[::1]:8000", "http://[::1]:8000/v1"),
    ("http://api.example.com", "http://api.example.com/v1"),  # typed explicitly: kept
    ("https://localhost:8000/v1", "https://localhost:8000/v1"),
])
def test_addresses_default_to_https_except_on_this_machine(typed: str, stored: str) -> None:
    assert normalise_url(typed) == stored


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST.", "a.localhost", "127.0.0.1", "127.255.0.9",
                                  "::1", "[::1]", "::ffff:127.0.0.1"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["example.com", "localhost.example.com", "10.0.0.1", "0.0.0.0",
                                  "::", "128.0.0.1", "", None])
def test_other_hosts_are_not_loopback(host: str | None) -> None:
    assert not is_loopback(host)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConnectionStore]:
    database = Database(tmp_path / "assistant.db").open()
    yield ConnectionStore(database)
    database.close()


def test_a_key_over_http_to_another_machine_needs_an_explicit_choice(store: ConnectionStore) -> None:
    with pytest.raises(ConnectionError_, match="unencrypted"):
        store.add("Lab", "http://gpu.example.org:8000", "m", api_key="sk-1")
    assert store.list() == []
    allowed = store.get(store.add("Lab", "http://gpu.example.org:8000", "m", api_key="sk-1",
                                  allow_insecure_http=True))
    assert allowed is not None and allowed.allow_insecure_http
    assert allowed.remote_config().allow_insecure_http
    # No key, or this machine, or https: nothing secret travels in clear, no choice needed.
    store.add("Open", "http://gpu.example.org:8000", "m")
    store.add("Local", "http://127.0.0.1:8000", "m", api_key="sk-2")
    store.add("Tls", "gpu.example.org:8000", "m", api_key="sk-3")
    assert sum(c.allow_insecure_http for c in store.list()) == 1


def test_the_engine_refuses_to_send_a_key_in_clear_before_connecting() -> None:
    # An unroutable documentation address: the old code would try to connect (and time out).
    remote = RemoteConfig("http://192.0.2.1:9/v1", "m", api_key="sk-1", connect_timeout=0.2)
    config = EngineConfig(model_path="remote", remote=remote)
    with pytest.raises(EngineError) as info:
        list(RemoteEngine().ensure_loaded(config))
    assert info.value.kind == "remote_insecure" and "https://" in info.value.message


def test_send_refuses_even_on_an_open_connection() -> None:
    # Defence in depth where the header is built: a connection obtained some other way.
    server = FakeOpenAIServer().start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
        remote = RemoteConfig("http://gpu.example.org/v1", "m", api_key="sk-1")
        with pytest.raises(EngineError) as info:
            send(conn, remote, "GET", "/models", None)
        assert info.value.kind == "remote_insecure"
        conn.close()
        assert server.requests == [], "nothing reached the server"
    finally:
        server.stop()


def test_explicit_choice_and_loopback_are_allowed() -> None:
    assert not key_in_clear("http://gpu.example.org/v1", True, allowed=True)
    assert not key_in_clear("http://127.0.0.1:8000/v1", True, allowed=False)
    assert not key_in_clear("http://gpu.example.org/v1", False, allowed=False)
    assert not key_in_clear("https://gpu.example.org/v1", True, allowed=False)
    assert key_in_clear("http://gpu.example.org/v1", True, allowed=False)


def test_an_http_only_server_behind_https_is_explained() -> None:
    server = FakeOpenAIServer().start()  # speaks plain http only
    try:
        remote = RemoteConfig(f"https://127.0.0.1:{server.server_address[1]}/v1", "m", connect_timeout=5)
        with pytest.raises(EngineError) as info:
            connect(remote)
        assert "http://" in info.value.message and info.value.kind == "remote_unreachable"
    finally:
        server.stop()
