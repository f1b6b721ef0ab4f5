"""A real gunicorn server on 127.0.0.1 for tests, and a signed-in HTTP client to talk to it.

The server runs the production profile in its own session (process group), so a test can kill
the master and every worker at once, as the OOM killer or `kill -9` would, and can check that
none of its processes is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from typing import NamedTuple

from config import BASE_DIR

HOST = "127.0.0.1"
SECRET_KEY = "durability-test-secret-key-0123456789abcdef"  # noqa: S105 - loopback test server
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
CSRF_TOKEN = re.compile(r'<input[^>]* name="csrf_token"[^>]* value="([^"]+)"')
START_SECONDS = 30
STOP_SECONDS = 10


def _no_control_socket() -> list[str]:
    """Recent gunicorn (27) opens a control socket in ~/.gunicorn, one path for every server of
    the user: a test server must not take it over from someone else's."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


_NO_CONTROL_SOCKET = _no_control_socket()


class ServerError(RuntimeError):
    """The server did not start, or did not go away."""


class Server:
    """gunicorn serving `wsgi:app` on a port the kernel picks, against one database."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        workers: int = 2,
        settings: dict[str, str] | None = None,
        workdir: Path = BASE_DIR,
    ) -> None:
        self.database_url, self.log_path, self.workers = database_url, log_path, workers
        self.settings, self.workdir = settings or {}, workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def start(self) -> Server:
        """Start gunicorn and return once it answers requests."""
        env = {
            **os.environ,
            "TRACKER_ENV": "production",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "SESSION_COOKIE_SECURE": "0",
            "RATELIMIT_ENABLED": "0",
            **self.settings,
        }
        env.pop("MAIL_SERVER", None)
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"{HOST}:0",  # the kernel picks a free port: no race with other tests
                    "--timeout",
                    "30",
                    # Import the app once and fork the workers from it: starting is 3-4 times
                    # cheaper on a small machine, and every request still runs in a worker.
                    "--preload",
                    *_NO_CONTROL_SOCKET,
                    "--pythonpath",
                    str(BASE_DIR),
                    "wsgi:app",
                ],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_serving(offset)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_serving(self, offset: int) -> None:
        deadline = time.monotonic() + START_SECONDS
        port = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited early:\n{self.log()}")
            if port is None:
                with self.log_path.open("rb") as log:  # this start's lines only
                    log.seek(offset)
                    match = LISTENING.search(log.read().decode(errors="replace"))
                if match:
                    port = match.group(1)
                    self.base_url = f"http://{HOST}:{port}"
            elif _answers(self.base_url + "/sign-in"):
                return
            time.sleep(0.05)
        raise ServerError(f"gunicorn did not answer within {START_SECONDS} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), and by SIGKILL if that takes too long."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=STOP_SECONDS)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> None:
        assert self.process is not None
        group = self.process.pid
        self.process.wait(timeout=STOP_SECONDS)
        deadline = time.monotonic() + STOP_SECONDS
        while group_members(group):
            if time.monotonic() > deadline:
                os.killpg(group, signal.SIGKILL)
                raise ServerError(f"gunicorn processes {group_members(group)} outlived the test")
            time.sleep(0.05)
        self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def group_members(group: int) -> list[int]:
    """Live (not zombie) processes of a process group (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        # pid (comm) state ppid pgrp ...; comm may contain spaces, so split after its ')'
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            members.append(int(entry.name))
    return members


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


class Response(NamedTuple):
    status: int
    body: str
    location: str


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller: a 302 is how the app says a form was saved."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One person's browser: a cookie jar, the CSRF token of its session, no redirect following."""

    def __init__(self, base_url: str, timeout: float = 30) -> None:
        self.base_url, self.timeout = base_url, timeout
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )
        self.csrf_token = ""

    def request(self, path: str, form: dict[str, object] | None = None) -> Response:
        """GET the path, or POST the form (with the session's CSRF token) to it."""
        data = None
        if form is not None:
            data = urllib.parse.urlencode({"csrf_token": self.csrf_token, **form}).encode()
        request = urllib.request.Request(self.base_url + path, data=data)  # noqa: S310 - loopback
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> Response:
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                response = Response(answer.status, answer.read().decode(), "")
        except urllib.error.HTTPError as error:  # redirects and errors alike
            with error:
                response = Response(
                    error.code, error.read().decode(errors="replace"), error.headers["Location"]
                )
        token = CSRF_TOKEN.search(response.body)
        if token:
            self.csrf_token = token.group(1)
        return response

    def download(self, path: str) -> tuple[int, bytes]:
        """GET a file: its status and its bytes as they came."""
        try:
            with self.opener.open(self.base_url + path, timeout=self.timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, b""

    def upload(
        self, path: str, form: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Response:
        """POST a form with files (multipart), with the session's CSRF token."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
            for name, value in {"csrf_token": self.csrf_token, **form}.items()
        ]
        parts += [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
            for name, (filename, content) in files.items()
        ]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 - loopback test server
            self.base_url + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._send(request)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in form, as a person would."""
        page = self.request("/sign-in")
        if page.status != 200 or not self.csrf_token:
            raise AssertionError(f"sign-in form not served: {page.status}")
        answer = self.request("/sign-in", {"email": email, "password": password})
        if answer.status != 302:
            raise AssertionError(f"sign-in of {email} refused: {answer.status}")
        self.request(answer.location)  # signing in renewed the session, and its CSRF token
