"""HTTP and server-sent events for OpenAI-compatible servers, with user-readable errors.

``http.client`` keeps this dependency-free: a connect timeout, then a per-read socket timeout,
so a silent server ends in a clear error instead of a hang.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import ssl
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from assistant.engine.base import EngineError, RemoteConfig

#: Error bodies are quoted to the user; an HTML page from a proxy must not flood the UI.
MAX_ERROR_BODY = 64 * 1024
MAX_QUOTE = 300
MAX_LINE = 1024 * 1024


def sse_data(response: http.client.HTTPResponse, remote: RemoteConfig) -> Iterator[str]:
    """The ``data`` of each server-sent event; keep-alive comments don't count as progress."""
    data: list[str] = []
    last_data = time.monotonic()
    while True:
        try:
            raw = response.readline(MAX_LINE)
        except TimeoutError as exc:
            raise _timeout_error(remote) from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise _transport_error(remote, exc, "streaming the reply") from exc
        if not raw:
            if data:
                yield "\n".join(data)
            return
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value[1:] if value.startswith(" ") else value)
            last_data = time.monotonic()
        elif time.monotonic() - last_data > remote.read_timeout:
            # Pings keep the socket busy, yet nothing arrives: without this we could wait forever.
            raise _timeout_error(remote)


def parse_chunk(remote: RemoteConfig, data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except ValueError as exc:
        raise EngineError(
            f"The server at {remote.base_url} sent part of the reply in a form this app cannot "
            f"read ({_quote(data)!r}). Is it an OpenAI-compatible server?",
            "remote_bad_response",
        ) from exc
    if isinstance(chunk, dict) and "error" in chunk:  # how llama-server and vLLM fail mid-stream
        raise EngineError(
            f"The server at {remote.base_url} stopped with an error: {_server_message(chunk)}",
            "remote_failed",
        )
    # The shape we rely on, checked once here so the stream loop can index freely.
    choices = (chunk.get("choices") or []) if isinstance(chunk, dict) else None
    if not isinstance(chunk, dict) or not isinstance(choices, list) or not all(
        isinstance(c, dict) and isinstance(c.get("delta") or {}, dict) for c in choices
    ):
        raise EngineError(f"The server at {remote.base_url} sent an unexpected reply: {_quote(data)!r}.",
                          "remote_bad_response")
    chunk["choices"] = choices
    return chunk


def is_loopback(host: str | None) -> bool:
    """This machine: ``localhost`` (RFC 6761), 127.0.0.0/8, ::1. Plain http never leaves it."""
    host = (host or "").strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def key_in_clear(url: str, has_key: bool, allowed: bool) -> bool:
    """True when a key would cross the network unencrypted without the user having chosen it."""
    parts = urlsplit(url)
    return has_key and parts.scheme == "http" and not is_loopback(parts.hostname) and not allowed


def check_key_transport(remote: RemoteConfig) -> None:
    """Defence in depth: whatever stored the connection, a key never goes over http to another
    machine unless the user explicitly allowed it for this connection."""
    if key_in_clear(remote.base_url, bool(remote.api_key), remote.allow_insecure_http):
        raise EngineError(
            f"Not sending the API key to {remote.base_url}: over http it would travel unencrypted. "
            "Use an https:// address, or add the connection again with “Send the API key over "
            "plain http” chosen if you trust this network.",
            "remote_insecure",
        )


def connect(remote: RemoteConfig) -> http.client.HTTPConnection:
    check_key_transport(remote)  # before any socket: refused, not half-sent
    parts = urlsplit(remote.base_url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname or "", parts.port, timeout=remote.connect_timeout)
    try:
        conn.connect()
    except TimeoutError as exc:
        conn.close()
        raise EngineError(
            f"The server at {remote.base_url} did not accept a connection within "
            f"{remote.connect_timeout:g} seconds. Check that it is running and reachable.",
            "remote_unreachable",
        ) from exc
    except ssl.SSLError as exc:
        conn.close()
        raise EngineError(
            f"Could not open a secure (https) connection to {remote.base_url} ({_reason(exc)}). "
            "If the server only speaks plain http, enter its address with http://.",
            "remote_unreachable",
        ) from exc
    except OSError as exc:
        conn.close()
        raise EngineError(
            f"Could not reach the model server at {remote.base_url} ({_reason(exc)}). "
            "Check that it is running and that the address in Settings is right.",
            "remote_unreachable",
        ) from exc
    if conn.sock is not None:
        conn.sock.settimeout(remote.read_timeout)  # from now on: the longest silence we accept
    return conn


def send(
    conn: http.client.HTTPConnection, remote: RemoteConfig, method: str, path: str,
    payload: dict[str, Any] | None,
) -> http.client.HTTPResponse:
    headers = {"Accept": "text/event-stream" if payload else "application/json",
               "User-Agent": "offline-assistant"}
    check_key_transport(remote)  # again where the header is built: callers may reuse a connection
    if remote.api_key:
        headers["Authorization"] = f"Bearer {remote.api_key}"
    body = None
    if payload is not None:
        body = json.dumps(payload).encode("utf-8")
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, urlsplit(remote.base_url).path.rstrip("/") + path, body=body, headers=headers)
        return conn.getresponse()
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise _transport_error(remote, exc, "waiting for its answer") from exc


def read_body(response: http.client.HTTPResponse, remote: RemoteConfig) -> bytes:
    try:
        return response.read(MAX_ERROR_BODY)
    except TimeoutError as exc:
        raise _timeout_error(remote) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _transport_error(remote, exc, "reading its answer") from exc


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(
            f"'{url}' is not a server address. Use one like http://127.0.0.1:8000/v1.", "remote_config"
        )


def http_error(remote: RemoteConfig, status: int, body: bytes, path: str) -> EngineError:
    url, said = remote.base_url, _server_message(body)
    detail = f": {said}" if said else "."
    if status in (401, 403):
        if not remote.api_key:
            return EngineError(f"The server at {url} needs an API key (HTTP {status}){detail} "
                               "Enter it in Settings.", "remote_auth")
        return EngineError(f"The server at {url} refused the API key (HTTP {status}){detail} "
                           "Check the API key in Settings.", "remote_auth")
    if status == 404 and path == "/models":
        return EngineError(f"The server at {url} has no model list (HTTP 404). Check the address: "
                           "OpenAI-compatible servers usually serve under /v1.", "remote_failed")
    return EngineError(f"The server at {url} reported an error (HTTP {status}){detail}", "remote_failed")


def _server_message(body: bytes | dict[str, Any]) -> str:
    """The human part of an error body: OpenAI, vLLM, Ollama and FastAPI shapes, else raw text."""
    data: Any = body
    if isinstance(body, bytes):
        try:
            data = json.loads(body)
        except ValueError:
            return _quote(body.decode("utf-8", "replace").strip())
    if isinstance(data, dict):
        error = data.get("error")
        found = error.get("message") if isinstance(error, dict) else error
        found = found or data.get("message") or data.get("detail")
        if found:
            return _quote(found if isinstance(found, str) else json.dumps(found))
    return _quote(json.dumps(data))


def _transport_error(remote: RemoteConfig, exc: BaseException, during: str) -> EngineError:
    if isinstance(exc, TimeoutError):
        return _timeout_error(remote)
    return EngineError(
        f"The connection to the server at {remote.base_url} was lost while {during} ({_reason(exc)}). "
        "Try again; if it keeps happening, look at the server's log.",
        "remote_failed",
    )


def _timeout_error(remote: RemoteConfig) -> EngineError:
    return EngineError(
        f"The server at {remote.base_url} sent nothing for {remote.read_timeout:g} seconds, so the "
        "reply was abandoned. It may be overloaded; try again, or raise the read timeout in Settings.",
        "remote_timeout",
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE] + "..."
