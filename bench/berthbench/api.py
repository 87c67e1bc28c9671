"""The Engine API over a unix socket with `http.client` (no third-party client: the requests are
exactly as written here, and one keep-alive connection per client keeps the client's cost flat)."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.parse

from berth_host import UnixHTTPConnection

# The unversioned paths: both daemons answer them with their own newest API version.
CONNECT_ERRORS = (
    ConnectionRefusedError, FileNotFoundError, ConnectionResetError, ConnectionAbortedError,
    BrokenPipeError, http.client.RemoteDisconnected, http.client.IncompleteRead,
    http.client.CannotSendRequest, http.client.ResponseNotReady, socket.timeout, TimeoutError,
)


class ApiError(Exception):
    def __init__(self, method: str, path: str, status: int, body: bytes):
        self.status = status
        text = body[:300].decode("utf-8", "replace").strip()
        super().__init__(f"{method} {path}: HTTP {status} {text}")


def query(path: str, **params) -> str:
    """`path?k=v&...`, JSON-encoding dict and list values (Docker's `filters=`)."""
    items = {k: json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in params.items() if v is not None}
    return path + ("?" + urllib.parse.urlencode(items) if items else "")


class Api:
    """One keep-alive client. Not thread-safe: give each worker its own."""

    def __init__(self, sock_path: str, timeout: float = 30.0):
        self.sock_path = sock_path
        self.timeout = timeout
        self.conn: UnixHTTPConnection | None = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def raw(self, method: str, path: str, body=None, headers=None, timeout: float | None = None) -> tuple[int, bytes]:
        """One request on the kept-alive connection (reconnecting once if the daemon closed it)."""
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = UnixHTTPConnection(self.sock_path, timeout=timeout or self.timeout)
            elif self.conn.sock is not None:
                self.conn.sock.settimeout(timeout or self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                payload = resp.read()
                if resp.will_close:
                    self.close()
                return resp.status, payload
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                    http.client.CannotSendRequest):
                self.close()
                if attempt == 1:
                    raise
            except BaseException:
                self.close()
                raise
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, body=None, expect=(200, 201, 204), timeout: float | None = None, headers=None):
        """A request whose status must be in `expect`; returns the decoded JSON body (or None)."""
        status, payload = self.raw(method, path, body=body, headers=headers, timeout=timeout)
        if status not in expect:
            raise ApiError(method, path, status, payload)
        if not payload:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            return payload

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    # -- container helpers shared by the workloads

    def create(self, cmd=("true",), network: str = "none", name: str | None = None, labels=None,
               image: str = "busybox") -> str:
        body = {"Image": image, "Cmd": list(cmd), "Labels": labels or {},
                "HostConfig": {"NetworkMode": network}}
        return self.post(query("/containers/create", name=name), body)["Id"]

    def start(self, cid: str):
        self.post(f"/containers/{cid}/start")

    def wait(self, cid: str, timeout: float = 60.0) -> int:
        return self.post(f"/containers/{cid}/wait", timeout=timeout)["StatusCode"]

    def remove(self, cid: str, force: bool = False):
        self.delete(query(f"/containers/{cid}", force="1" if force else None))


def ping(sock_path: str, timeout: float = 1.0) -> bool:
    """True when `GET /_ping` answers 200 on a fresh connection."""
    conn = UnixHTTPConnection(sock_path, timeout=timeout)
    try:
        conn.request("GET", "/_ping")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def timed(fn, *args, **kwargs):
    """(seconds, result) of one call."""
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result
