"""A minimal browser for the load run: one cookie jar per simulated user, forms read from
the HTML (hidden fields and CSRF token included), every request timed and recorded.

Standard library only (``http.client``), so that the load run needs nothing beyond the
project's own dependencies. The portal runs with its production settings behind an
imaginary TLS-terminating proxy: each request carries ``X-Forwarded-Proto: https`` (trusted
with ``TRUST_X_FORWARDED_PROTO=1``, as in production), so HTTPS redirects, secure cookies and
the CSRF origin check all behave as they do in production, on plain HTTP over loopback.
"""

import http.client
import threading
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60


@dataclass
class Response:
    status: int  # 0 when no HTTP answer came back (refused, reset, timed out)
    headers: dict[str, str]
    body: bytes
    error: str = ""
    truncated: bool = False
    phase: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """The path a redirect points to."""
        return urlsplit(self.headers.get("location", "")).path


@dataclass
class Sample:
    phase: str
    kind: str
    status: int
    seconds: float
    expected: bool
    clean_error: bool  # a 500/503 answered with the site's own error page, no traceback
    error: str = ""
    truncated: bool = False  # a body cut short after its status line: a failed download


class Recorder:
    """Every request of the run, with its phase: alone, sign-in, main, fault or recovery (a
    request under way when the fault began or ended counts as fault)."""

    def __init__(self):
        self.samples: list[Sample] = []
        self.phase = "alone"
        self._lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)


def is_clean_error_page(response: Response) -> bool:
    """A 500 or 503 that shows the portal's own page (its layout), never a traceback."""
    if response.status not in (500, 503):
        return False
    text = response.text
    return "<html" in text and "/static/" in text and "Traceback" not in text


class Form:
    """The fields a browser would send for one ``<form>``: name/value pairs in order."""

    def __init__(self, action: str, method: str):
        self.action = action
        self.method = method
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}  # every value offered by a select/checkbox

    def names(self) -> set[str]:
        return {name for name, _value in self.fields} | set(self.options)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def filled(self, changes: dict[str, str | list[str]]) -> list[tuple[str, str]]:
        """The form's fields with ``changes`` applied (a list replaces every value)."""
        pairs = [(name, value) for name, value in self.fields if name not in changes]
        for name, value in changes.items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, item))
        return pairs


class FormParser(HTMLParser):
    TEXT_TYPES = {"text", "email", "url", "number", "date", "datetime-local", "hidden", "tel"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._selected: list[str] = []
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attrs.get("action") or "", (attrs.get("method") or "get")))
            return
        if not self.forms or "disabled" in attrs:
            return
        form, name = self.forms[-1], attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in self.TEXT_TYPES or kind == "password":
                form.fields.append((name, attrs.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(attrs.get("value") or "on")
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value") or "on"))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._selected, self._first_option = name, [], None
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            form.options.setdefault(self._select, []).append(value)
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._selected.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.forms[-1].fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._selected or ([self._first_option] if self._first_option else [])
            self.forms[-1].fields.extend((self._select, value) for value in chosen)
            self._select = None


def find_form(html: str, containing: str) -> Form | None:
    """The first POST form of the page that has a field named ``containing``."""
    parser = FormParser()
    parser.feed(html)
    return next(
        (f for f in parser.forms if f.method.lower() == "post" and containing in f.names()),
        None,
    )


def multipart(pairs: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]):
    """A multipart/form-data body: the fields, then each file (name, content, type)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One simulated person's browser: their cookies; every request timed and recorded."""

    def __init__(self, host: str, port: int, recorder: Recorder):
        self.host, self.port = host, port
        self.origin = f"https://{host}:{port}"
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Response:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "guichet-load/1",
            "Accept": "text/html,*/*",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        phase = self.recorder.phase
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            received = {k.lower(): v for k, v in answer.getheaders()}
            self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
            try:
                response = Response(answer.status, received, answer.read())
            except http.client.IncompleteRead as cut:
                # The status line was sent, then the body stopped short (a streamed file).
                note = f"body cut after {len(cut.partial)} bytes"
                response = Response(answer.status, received, cut.partial, note, truncated=True)
        except (OSError, http.client.HTTPException) as error:
            response = Response(0, {}, b"", error=f"{type(error).__name__}: {error}")
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        if "fault" in (phase, self.recorder.phase):
            # Under way when the fault began or ended: the fault may have touched it.
            phase = "fault"
        response.phase = phase
        self.recorder.add(
            Sample(
                phase,
                kind,
                response.status,
                seconds,
                response.status in expect and not response.truncated,
                is_clean_error_page(response),
                response.error,
                response.truncated,
            )
        )
        return response

    def _keep_cookies(self, headers: list[str]) -> None:
        # The Secure flag is ignored on purpose: TLS ends at the (imaginary) proxy.
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, kind: str, path: str, expect=(200,)) -> Response:
        return self.request(kind, "GET", path, expect=expect)

    def post(self, kind: str, path: str, pairs: list[tuple[str, str]], expect=(302,)) -> Response:
        return self.request(kind, "POST", path, urlencode(pairs).encode(), expect=expect)

    def post_files(self, kind, path, pairs, files, expect=(302,)) -> Response:
        body, content_type = multipart(pairs, files)
        return self.request(kind, "POST", path, body, content_type, expect=expect)

    def sign_in(self, kind: str, email: str, password: str) -> bool:
        """Open the sign-in form (``kind`` form), then send it (``kind``)."""
        page = self.get(f"{kind} form", "/accounts/sign-in/")
        form = find_form(page.text, "password") if page.status == 200 else None
        if form is None:
            return False
        answer = self.post(
            kind, "/accounts/sign-in/", form.filled({"username": email, "password": password})
        )
        return answer.status == 302
