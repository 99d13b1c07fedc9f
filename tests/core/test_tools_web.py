"""fetch_page refuses local addresses (also after redirects); web tools fail fast offline."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from assistant.agent.registry import ToolContext, ToolError, schema_for
from assistant.tools import clock, web


def _ctx(**extra: object) -> ToolContext:
    return ToolContext(
        now=lambda: datetime(2026, 1, 14, 10, 30, tzinfo=UTC),
        tz="Europe/London",
        web_enabled=True,
        extra=dict(extra),
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "http://127.0.0.1:8080/",
        "http://localhost/",
        "http://[::1]/",
        "http://10.0.0.5/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "gopher://x",
    ],
)
def test_fetch_refuses_local_and_non_http(url: str) -> None:
    with pytest.raises(ToolError, match=r"Refused|resolve"):
        web.fetch_page(_ctx(), url)


#: Set when the server fixture ends, so trickling handlers stop at once.
STOP = threading.Event()
#: A trickling server sends one byte per TRICKLE_PAUSE for TRICKLE_BYTES bytes (20 s in all).
TRICKLE_BYTES, TRICKLE_PAUSE = 200, 0.1


class _Redirect(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/trickle-"):
            self._trickle(headers=self.path == "/trickle-headers")
            return
        if self.path == "/page":
            body = b"<html><body><article><p>Plain public text, long enough to be kept.</p>"
            body += b"</article></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(302)
        self.send_header(
            "Location", "http://169.254.169.254/latest/meta-data" if self.path == "/evil" else "/page"
        )
        self.end_headers()

    def _trickle(self, headers: bool) -> None:
        """Never silent long enough for a per-read timeout, but slow in total."""
        if headers:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(TRICKLE_BYTES))
            self.end_headers()
        try:
            for _ in range(TRICKLE_BYTES):
                self.wfile.write(b"a")
                if STOP.wait(TRICKLE_PAUSE):
                    return
        except OSError:
            pass  # the client gave up: what the test wants

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    STOP.clear()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STOP.set()
    httpd.shutdown()


def _only_loopback(address: str) -> bool:
    """Tests stand in 127.0.0.1 for "a public server"; everything else keeps the real rule."""
    return address == "127.0.0.1" or web.is_public(address)


def test_redirect_to_a_private_address_is_refused(server: str) -> None:
    with pytest.raises(ToolError, match="Refused"):
        web.fetch_page(_ctx(address_check=_only_loopback), f"{server}/evil")


def test_redirect_to_a_public_page_is_followed_and_text_extracted(server: str) -> None:
    result = web.fetch_page(_ctx(address_check=_only_loopback), f"{server}/start")
    assert "Plain public text" in result["text"] and result["url"].endswith("/page")


def test_fetch_caps_size(server: str) -> None:
    _, _, body = web.fetch(f"{server}/page", _only_loopback, max_bytes=10)
    assert len(body) == 10


@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-headers"])
def test_a_trickling_server_is_cut_off_at_the_time_limit(server: str, path: str) -> None:
    """One byte every 0.1 s for 20 s: no single read times out, the 2 s total limit must."""
    started = time.monotonic()
    with pytest.raises(ToolError, match="longer than 2 s"):
        web.fetch(f"{server}{path}", _only_loopback, max_seconds=2)
    assert time.monotonic() - started < 5  # generous: a loaded machine, not 20 s


def test_web_search_fails_fast_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> object:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(web.socket, "getaddrinfo", no_network)
    started = time.perf_counter()
    with pytest.raises(ToolError, match="No network"):
        web.web_search(_ctx(), "weather")
    with pytest.raises(ToolError, match=r"resolve|Could not"):
        web.fetch_page(_ctx(), "https://example.com/")
    assert time.perf_counter() - started < 2


def test_clock_tools_use_the_given_now() -> None:
    assert clock.now(_ctx())["weekday"] == "Wednesday"
    assert clock.date_calc(_ctx(), "25 December")["days_from_today"] == 345


def test_schema_from_type_hints_and_docstring() -> None:
    description, schema = schema_for(web.web_search)
    assert description == "Search the web (goes online)."
    assert schema["required"] == ["query"] and schema["additionalProperties"] is False
    assert schema["properties"]["max_results"] == {
        "type": "integer",
        "description": "how many results (1-10)",
        "default": 5,
    }
    from assistant.tools.schedule import add_reminder

    _, schema = schema_for(add_reminder)
    assert schema["properties"]["kind"]["enum"] == ["reminder", "event"]
    assert "ctx" not in schema["properties"]
