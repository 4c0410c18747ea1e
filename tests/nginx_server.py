"""Debian's nginx in front of several app servers, for the tests: the test's own process (started
and stopped here), its configuration and logs in a temp folder, listening on a free localhost port.

The part in front of the app servers is the README's "several servers" snippet (``APP_BLOCK``): the
tests run exactly what the README tells an administrator to write (tests/browser/test_several_servers.py
holds the two to each other). Around it, what a test needs: no daemon, files in the temp folder, and
a response header naming the app server that answered (``X-Sop-Server``), so a test knows where a
browser landed.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tests.waiting import wait_until

AFFINITY_COOKIE = "sop_server"
SERVED_BY = "X-Sop-Server"

# The README's snippet ("Several servers"): {servers} are the app servers' "server host:port;" lines,
# {listen} the address nginx listens on, {extra} the test's own lines inside the location.
APP_BLOCK = """\
map $cookie_sop_server $sop_server {
    ""      $request_id;             # a browser's first request: a new random key...
    default $cookie_sop_server;      # ...which it then sends back with every request
}
map $http_upgrade $connection_upgrade {
    default upgrade;
    ""      close;
}
upstream sop_tracker {
    hash $sop_server consistent;     # one browser, one app server, while that server is up
{servers}
}
server {
    listen {listen};
    client_max_body_size 25m;        # Streamlit's server.maxUploadSize
    location / {
        proxy_pass http://sop_tracker;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;         # the app's websocket
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;        # client_address_header = "X-Real-IP"
        proxy_read_timeout 1d;                          # a websocket stays open while the page is
        add_header Set-Cookie "sop_server=$sop_server; Path=/; HttpOnly; SameSite=Lax" always;
{extra}
    }
}
"""

CONFIG = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{app}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed: run scripts/setup-tests.sh (Debian's nginx).")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_block(servers: list[str], listen: str, extra: str = "") -> str:
    lines = "\n".join(f"    server {s};" for s in servers)
    return (APP_BLOCK.replace("{servers}", lines).replace("{listen}", listen)
            .replace("{extra}", "\n".join(f"        {line}" for line in extra.splitlines())))


class Nginx:
    """nginx balancing ``servers`` ("127.0.0.1:8501", ...) with the README's affinity."""

    def __init__(self, servers: list[str]):
        self.servers = servers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        # Not under pytest's temp folder: as root nginx's workers run as nobody, who must reach it.
        self.tmp = Path(tempfile.mkdtemp(prefix="sop-nginx-"))
        self.tmp.chmod(0o711)

    def config(self) -> str:
        user = ""
        if os.geteuid() == 0:  # the workers drop root; nginx makes its temp folders theirs
            user = "user nobody {};".format("nogroup" if _group_exists("nogroup") else "nobody")
        app = app_block(self.servers, f"127.0.0.1:{self.port}",
                        f'add_header {SERVED_BY} $upstream_addr always;')
        return CONFIG.format(tmp=self.tmp, user=user, app="\n".join("    " + line for line in app.splitlines()))

    def start(self) -> Nginx:
        conf = self.tmp / "nginx.conf"
        conf.write_text(self.config())
        log = open(self.tmp / "stderr.log", "w")
        self.proc = subprocess.Popen([nginx_binary(), "-p", str(self.tmp), "-c", str(conf), "-e",
                                      str(self.tmp / "error.log")], stdout=log, stderr=subprocess.STDOUT)

        def answering() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"nginx ended with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2):
                    return True
            except urllib.error.HTTPError:
                return True  # nginx answers (an app server may still be starting)
            except OSError:
                return False

        wait_until(answering, what=f"nginx on port {self.port}", seen=self.log)
        return self

    def served_by(self, route: str) -> str:
        """The app server ("127.0.0.1:port") a browser with affinity key ``route`` is sent to."""
        request = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"{AFFINITY_COOKIE}={route}"})
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.headers[SERVED_BY].split(",")[-1].strip()

    def key_for(self, server: str) -> str:
        """An affinity key nginx sends to ``server``: what a browser pinned there carries."""
        for n in range(1000):
            key = f"uji-{n}"
            if self.served_by(key) == server:
                return key
        raise AssertionError(f"no affinity key reaches {server}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nginx's fast shutdown, its workers with it
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self) -> str:
        parts = [p.read_text(errors="replace") for p in (self.tmp / "stderr.log", self.tmp / "error.log") if p.exists()]
        return "\n".join(parts)[-3000:]


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False
