"""Start the front door (HAProxy with deploy/haproxy.cfg) on 127.0.0.1 for tests and benchmarks.

Not used by the site itself. `Proxy` runs Debian's /usr/sbin/haproxy in the foreground with the
project's own configuration, every PROXY_* variable pointing at loopback ports, and a
self-signed certificate made with `cryptography`; `stop()` always kills it. The connection
classes speak to its three ports: TLS, plain HTTP, and the onion port, where each connection
starts with the PROXY protocol header a local tor would write.
"""

import datetime
import http.client
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import time
from pathlib import Path

from bench.nodes import BASE_DIR, free_port
from bench.tipload import TipClient

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CONFIG = BASE_DIR / "deploy" / "haproxy.cfg"
TOR_PREFIX = "fc00:dead:beef:4dad::"


def make_certificate(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `host`: (HAProxy's PEM, chain then key; the CA file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem, ca = folder / "site.pem", folder / "ca.pem"
    pem.write_bytes(cert_pem + key_pem)
    ca.write_bytes(cert_pem)
    return pem, ca


def circuit_address(circuit: int) -> str:
    """The source address tor writes for a circuit: fc00:dead:beef:4dad:: plus its 32 bits."""
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(TOR_PREFIX)) + circuit))


def proxy_v1(circuit: int) -> bytes:
    """The PROXY protocol v1 line tor writes (HiddenServiceExportCircuitID haproxy)."""
    return f"PROXY TCP6 {circuit_address(circuit)} ::1 65535 42\r\n".encode()


def proxy_v2(circuit: int) -> bytes:
    """The same in PROXY protocol v2 (binary): PROXY command, TCP over IPv6."""
    signature = b"\r\n\r\n\x00\r\nQUIT\n"
    addresses = (
        ipaddress.IPv6Address(circuit_address(circuit)).packed
        + ipaddress.IPv6Address("::1").packed
        + struct.pack("!HH", 65535, 42)
    )
    return signature + bytes([0x21, 0x21]) + struct.pack("!H", len(addresses)) + addresses


class PreambleConnection(http.client.HTTPConnection):
    """An HTTP connection that first sends `preamble` (a PROXY protocol header), as tor does."""

    def __init__(self, *args, preamble: bytes = b"", **kwargs):
        super().__init__(*args, **kwargs)
        self.preamble = preamble

    def connect(self):
        super().connect()
        if self.preamble:
            self.sock.sendall(self.preamble)


class Proxy:
    """One HAProxy with deploy/haproxy.cfg, logging to a file a test can read."""

    def __init__(self, folder: Path, *, upstream_port: int, **env: str):
        self.folder = Path(folder)
        self.https_port, self.http_port, self.onion_port = free_port(), free_port(), free_port()
        self.pem, self.ca = make_certificate(self.folder)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin"),
            "PROXY_HTTPS_BIND": f"127.0.0.1:{self.https_port}",
            "PROXY_HTTP_BIND": f"127.0.0.1:{self.http_port}",
            "PROXY_ONION_BIND": f"127.0.0.1:{self.onion_port}",
            "PROXY_TLS_CERT": str(self.pem),
            "PROXY_UPSTREAM": f"127.0.0.1:{upstream_port}",
            "PROXY_DIR": str(BASE_DIR / "deploy" / "haproxy"),
            **env,
        }
        self.log_path = self.folder / f"haproxy-{self.https_port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15.0) -> "Proxy":
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
                [HAPROXY, "-db", "-f", str(CONFIG)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.process.returncode}:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"haproxy did not listen within {timeout}s:\n{self.log()}")

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))

    def https(self, *, source: str | None = None, timeout: float = 30.0):
        return http.client.HTTPSConnection(
            "127.0.0.1",
            self.https_port,
            timeout=timeout,
            context=self.tls_context(),
            source_address=(source, 0) if source else None,
        )

    def onion(self, preamble: bytes, *, timeout: float = 30.0) -> PreambleConnection:
        return PreambleConnection("127.0.0.1", self.onion_port, timeout=timeout, preamble=preamble)

    def request(self, method, path, *, headers=None, body=None, conn=None):
        """(status, headers, body) of one request over TLS (or over `conn`)."""
        conn = conn or self.https()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=10)
                return
            except subprocess.TimeoutExpired:
                continue


class ProxyTipClient(TipClient):
    """A visitor sending tips through the front door: over TLS, or as one Tor circuit."""

    def __init__(self, proxy: Proxy, path: str, *, preamble: bytes | None = None, headers=None):
        super().__init__(proxy.https_port, path)
        self.proxy, self.preamble, self.extra_headers = proxy, preamble, headers or {}

    def _connect(self):
        if self.conn is None:
            if self.preamble is None:
                self.conn = self.proxy.https(timeout=self.timeout)
            else:
                self.conn = self.proxy.onion(self.preamble, timeout=self.timeout)
        return self.conn

    def request(self, method, path, body=None, headers=None):
        return super().request(method, path, body, {**(headers or {}), **self.extra_headers})
