"""Small clients for the hub test: REST calls, nbgitpuller's event stream, a kernel over its
websocket, and the processes a test started. Every wait here has a deadline."""

from __future__ import annotations

import http.cookiejar
import json
import re
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

# Re-exported for the hub's conftest and tests.
from processes import descendants, free_port, kill, port_open, process_table, survivors  # noqa: F401


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Reply:
    status: int
    headers: object  # an email.message.Message: case-insensitive .get()
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


def call(method: str, url: str, token: str | None = None, body=None, timeout: float = 30) -> Reply:
    """One HTTP request to localhost; redirects and errors are returned, not followed or raised."""
    assert url.startswith("http://127.0.0.1:"), url  # the hub test talks to this machine only
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.headers, err.read())


class _LocalRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but only to this machine."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        assert newurl.startswith("http://127.0.0.1:"), newurl
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Browser:
    """A student's browser, as far as the hub can tell: cookies, a login form, redirects."""

    def __init__(self, hub_url: str):
        self.hub_url = hub_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _LocalRedirects
        )

    def open(self, url: str, form: dict | None = None, timeout: float = 30):
        """GET (or POST `form`) `url`; return (final url, status, body)."""
        assert url.startswith("http://127.0.0.1:"), url
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with self.opener.open(urllib.request.Request(url, data=data), timeout=timeout) as reply:
            return reply.geturl(), reply.status, reply.read()

    def log_in(self, user: str, password: str) -> None:
        """Fill in the hub's login form, as a student does."""
        _, _, page = self.open(f"{self.hub_url}/hub/login")
        match = re.search(rb'name="_xsrf"\s+value="([^"]+)"', page)
        form = {"username": user, "password": password}
        if match:
            form["_xsrf"] = match.group(1).decode()
        url, status, _ = self.open(f"{self.hub_url}/hub/login", form)
        assert "/hub/login" not in url, f"login failed for {user}: {url}"


def wait_for(what: str, check, timeout: float, every: float = 0.5):
    """Call `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (OSError, ValueError) as err:  # not up yet
            last_error = err
        time.sleep(every)
    raise TimeoutError(f"{what}: not done in {timeout:g} s (last error: {last_error})")


def event_stream(url: str, token: str, timeout: float) -> list[dict]:
    """Read nbgitpuller's server-sent events until 'finished' or 'error' (within `timeout`)."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    events = []
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(request, timeout=timeout) as response:
        for raw in response:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nbgitpuller did not finish in {timeout:g} s: {events[-3:]}")
            line = raw.decode().strip()
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            events.append(event)
            if event.get("phase") in ("finished", "error"):
                break
    return events


@dataclass
class CellResult:
    source: str
    text: str = ""
    error: str | None = None
    seconds: float = 0.0


@dataclass
class KernelRun:
    cells: list[CellResult] = field(default_factory=list)

    @property
    def errors(self) -> list[CellResult]:
        return [c for c in self.cells if c.error]

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.cells)


def decode(frame: str | bytes) -> dict:
    """A kernel message from the server's websocket: JSON text, or JSON plus binary buffers
    (a frame that starts with the count and offsets of its parts, as 32-bit big-endian)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 + 4 * count])
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end])


def run_cells(ws_url: str, token: str, sources: list[str], cell_timeout: float) -> KernelRun:
    """Execute code cells one by one on a running kernel through the server's websocket."""
    import websocket  # websocket-client, a dependency of jupyter_server

    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        ws_url, header=[f"Authorization: token {token}"], timeout=cell_timeout
    )
    run = KernelRun()
    try:
        for source in sources:
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": "hub-test",
                            "session": session,
                            "msg_type": "execute_request",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": {
                            "code": source,
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
            result = CellResult(source)
            start = time.monotonic()
            idle = replied = False
            texts = []
            while not (idle and replied):
                remaining = cell_timeout - (time.monotonic() - start)
                if remaining <= 0:
                    raise TimeoutError(
                        f"cell did not finish in {cell_timeout:g} s:\n{source[:300]}"
                    )
                ws.settimeout(remaining)
                message = decode(ws.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                content = message["content"]
                if kind == "stream":
                    texts.append(content["text"])
                elif kind in ("execute_result", "display_data"):
                    texts.append(content.get("data", {}).get("text/plain", ""))
                elif kind == "error":
                    result.error = f"{content['ename']}: {content['evalue']}"
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
                elif kind == "execute_reply":
                    replied = True
                    if content.get("status") == "error" and not result.error:
                        result.error = f"{content.get('ename')}: {content.get('evalue')}"
            result.text = "".join(texts)
            result.seconds = time.monotonic() - start
            run.cells.append(result)
            if result.error:
                break
    finally:
        ws.close()
    return run
