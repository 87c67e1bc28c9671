"""Small legacy Docker plugins for the tests: a volume driver and an authorization plugin, each an HTTP
server on a unix socket (Python's http.server), run in a thread of the test process so a test can stop
one mid-way and start it again on the same socket."""

from __future__ import annotations

import base64
import json
import os
import socketserver
import threading
from http.server import BaseHTTPRequestHandler


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class PluginServer:
    """Serves `routes` (method name → handler(body dict) → reply dict) on `socket_path`."""

    def __init__(self, socket_path: str, implements: list[str]):
        self.socket_path = socket_path
        self.implements = implements
        self.calls: list[tuple[str, dict]] = []
        self.server: _UnixHTTPServer | None = None

    def routes(self) -> dict:
        return {}

    def start(self):
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        plugin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw.strip() else {}
                method = self.path.lstrip("/")
                plugin.calls.append((method, body))
                if method == "Plugin.Activate":
                    reply = {"Implements": plugin.implements}
                else:
                    handler = plugin.routes().get(method)
                    reply = handler(body) if handler else {"Err": f"unknown method {method}"}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.docker.plugins.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = _UnixHTTPServer(self.socket_path, Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)


class VolumePlugin(PluginServer):
    """A volume driver keeping each volume as a directory under `root`."""

    def __init__(self, socket_path: str, root: str):
        super().__init__(socket_path, ["VolumeDriver"])
        self.root = root
        self.volumes: dict[str, dict] = {}
        self.mounted: dict[str, set] = {}

    def path(self, name: str) -> str:
        return os.path.join(self.root, name)

    def routes(self) -> dict:
        def create(body):
            os.makedirs(self.path(body["Name"]), exist_ok=True)
            self.volumes[body["Name"]] = body.get("Opts") or {}
            return {"Err": ""}

        def remove(body):
            if self.mounted.get(body["Name"]):
                return {"Err": "volume is mounted"}
            self.volumes.pop(body["Name"], None)
            return {"Err": ""}

        def mount(body):
            self.mounted.setdefault(body["Name"], set()).add(body["ID"])
            return {"Mountpoint": self.path(body["Name"]), "Err": ""}

        def unmount(body):
            self.mounted.get(body["Name"], set()).discard(body["ID"])
            return {"Err": ""}

        def get(body):
            if body["Name"] not in self.volumes:
                return {"Err": "no such volume"}
            return {"Volume": {"Name": body["Name"], "Mountpoint": self.path(body["Name"])}, "Err": ""}

        return {
            "VolumeDriver.Create": create,
            "VolumeDriver.Remove": remove,
            "VolumeDriver.Mount": mount,
            "VolumeDriver.Unmount": unmount,
            "VolumeDriver.Path": lambda body: {"Mountpoint": self.path(body["Name"]), "Err": ""},
            "VolumeDriver.Get": get,
            "VolumeDriver.List": lambda body: {"Volumes": [{"Name": n, "Mountpoint": self.path(n)} for n in self.volumes], "Err": ""},
            "VolumeDriver.Capabilities": lambda body: {"Capabilities": {"Scope": "local"}},
        }


class AuthzPlugin(PluginServer):
    """Denies requests whose URI contains `deny_marker`; allows everything else."""

    def __init__(self, socket_path: str, deny_marker: str):
        super().__init__(socket_path, ["authz"])
        self.deny_marker = deny_marker

    def routes(self) -> dict:
        def request(body):
            if self.deny_marker in body.get("RequestURI", ""):
                return {"Allow": False, "Msg": f"{self.deny_marker} is not allowed here"}
            return {"Allow": True}

        return {"AuthZPlugin.AuthZReq": request, "AuthZPlugin.AuthZRes": lambda body: {"Allow": True}}

    def request_bodies(self) -> list[dict]:
        """The JSON bodies the daemon showed the plugin (decoded from base64)."""
        return [json.loads(base64.b64decode(body["RequestBody"])) for method, body in self.calls
                if method == "AuthZPlugin.AuthZReq" and body.get("RequestBody")]
