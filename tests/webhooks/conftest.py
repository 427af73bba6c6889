"""A receiving system on 127.0.0.1 (``http.server`` in a thread) that records what it is
sent and answers the status codes a test scripts; an endpoint of the programme posting to it."""

import http.server
import json
import threading
from dataclasses import dataclass, field

import pytest

from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    call,
    draft,
    ministry,
    officer,
    other_officer,
    private_storage,
    programme,
)
from webhooks import services
from webhooks.models import Endpoint, Event


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the server was sent, and the status codes it answers next (then 200)."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def answer_with(self, *statuses: int) -> None:
        self.statuses[:] = statuses


@pytest.fixture
def receiver():
    record = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            record.requests.append(Received(dict(self.headers), body))
            status = record.statuses.pop(0) if record.statuses else 200
            reply = f"answer {status}".encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    record.url = f"http://127.0.0.1:{server.server_port}/hooks"
    yield record
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(programme, officer, receiver):
    return services.create_endpoint(
        Endpoint(programme=programme, url=receiver.url, events=list(Event.values)), by=officer
    )
