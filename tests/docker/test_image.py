"""The production image, built by scripts/docker-build.sh and run the way a deployment runs it.

One build for the module: a one-off container migrates a fresh PostgreSQL database and adds an
object with `import_object`, then the web container serves it with production settings. Every
container uses the host's network (the engine has no bridge) and talks to 127.0.0.1 only: the
machine's PostgreSQL, its Redis, and the test itself. ALLOWED_HOSTS names a site, not 127.0.0.1,
as in production, so each request here sends that Host.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2
import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from bench.nodes import free_port
from bench.tipload import CSRF_FIELD, RECEIPT
from tips import receipts
from traceobject.crypto import keyed_hash

pytestmark = [pytest.mark.docker, pytest.mark.postgres, pytest.mark.redis]

BASE_DIR = Path(__file__).resolve().parents[2]
SITE = "traceanobject.test"
APP_UID = "10001"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STARTED = re.compile(rb'name="started" value="([^"]+)"')

# Run in a one-off container by `manage.py shell -c`: a category, a picture made with Pillow,
# and an object added through the same pipeline as the admin (objects.services.object_import).
SEED = """
from django.core.management import call_command
from PIL import Image, ImageDraw
from objects.models import Category
Category.objects.get_or_create(slug="bags", defaults={"name": "Bags"})
image = Image.new("RGB", (900, 600), (40, 90, 200))
ImageDraw.Draw(image).line((0, 0, 900, 600), fill=(10, 10, 10), width=9)
image.save("/tmp/bag.jpg", "JPEG")
call_command(
    "import_object", image="/tmp/bag.jpg", category="bags", title="Blue shoulder bag",
    question="Where was this bag sold?", alt="A blue shoulder bag with a long strap", publish=True,
)
"""


def _run(docker: str, *args: str, env=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [docker, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"{result.args[:4]} exited {result.returncode}:\n" + (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return result.stdout


@dataclass
class Stack:
    docker: str
    name: str
    port: int
    env: dict[str, str]
    database: dict
    reference: str
    image: str

    def request(self, method: str, path: str, body=None, headers=None):
        """(status, headers, body) of one request to the web container, with the site's Host."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers={"Host": SITE, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def exec(self, *command: str) -> str:
        return _ok(_run(self.docker, "exec", self.name, *command))

    def logs(self) -> str:
        result = _run(self.docker, "logs", "--tail", "60", self.name)
        return result.stdout + result.stderr

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master, which is the container's PID 1."""
        script = (
            "import os\n"
            "for p in filter(str.isdigit, os.listdir('/proc')):\n"
            "    try: fields = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()\n"
            "    except OSError: continue\n"
            "    if fields[1] == '1' and 'gunicorn' in open(f'/proc/{p}/cmdline').read():\n"
            "        print(p)\n"
        )
        return sorted(int(pid) for pid in self.exec("python", "-c", script).split())

    def wait_for(self, path: str, timeout: float = 60) -> float:
        """Seconds until `path` answers 200."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            try:
                if self.request("GET", path)[0] == 200:
                    return time.monotonic() - start
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise AssertionError(f"{path} did not answer 200 within {timeout}s:\n{self.logs()}")


@pytest.fixture(scope="module")
def image(docker_engine, figures, tmp_path_factory):
    tag = f"traceobject:test-{secrets.token_hex(4)}"
    log = tmp_path_factory.mktemp("docker") / "build.log"
    start = time.monotonic()
    with log.open("wb") as out:
        build = subprocess.run(
            [str(BASE_DIR / "scripts" / "docker-build.sh"), tag],
            cwd=BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1500,
            check=False,
        )
    seconds = time.monotonic() - start
    assert build.returncode == 0, "scripts/docker-build.sh failed:\n" + log.read_text()[-5000:]
    try:
        size = int(_ok(_run(docker_engine, "image", "inspect", tag, "--format", "{{.Size}}")))
        figures.append(
            f"docker image: {size / 1e6:.0f} MB; scripts/docker-build.sh took {seconds:.0f} s"
        )
        yield tag
    finally:
        _run(docker_engine, "image", "rm", "--force", tag)


@pytest.fixture(scope="module")
def database():
    """A fresh PostgreSQL database on the machine's server, dropped at the end."""
    default = settings.DATABASES["default"]
    host = default["HOST"] or "127.0.0.1"
    if host not in LOOPBACK:
        pytest.skip(f"the containers talk to 127.0.0.1 only; PostgreSQL is at {host}")
    params = {
        "host": host,
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"] or None,
    }
    name = f"tao_docker_test_{secrets.token_hex(4)}"
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**params, "dbname": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def stack(docker_engine, image, database, figures):
    redis = urlsplit(settings.REDIS_URL)
    if redis.hostname not in LOOPBACK:
        pytest.skip(f"the containers talk to 127.0.0.1 only; Redis is at {redis.hostname}")
    auth = database["user"] + (f":{database['password']}" if database["password"] else "")
    port = free_port()
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "docker-test-" + secrets.token_urlsafe(40),
        "RECEIPT_KEY": "docker-test-" + secrets.token_urlsafe(40),
        "TIP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": SITE,
        "DATABASE_URL": (f"postgres://{auth}@127.0.0.1:{database['port']}/{database['dbname']}"),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": f"tao-docker-{secrets.token_hex(4)}",
        # Plain HTTP on loopback: no Secure cookies, which check --deploy warns about; the
        # start-up check stops on errors only (as tests/deploy do).
        "SECURE_HTTPS": "0",
        "DEPLOY_CHECK_FAIL_LEVEL": "ERROR",
        "TIP_MIN_FILL_SECONDS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # One worker, so a killed worker leaves nothing to answer until the master replaces it.
        "WEB_CONCURRENCY": "1",
    }
    # Values travel in the client's environment (`-e NAME`), never on a command line.
    client_env = {**os.environ, **env}
    env_args = [arg for name in env for arg in ("-e", name)]
    media = f"tao-docker-test-media-{secrets.token_hex(4)}"
    name = f"tao-docker-test-web-{secrets.token_hex(4)}"
    common = ["--network", "host", *env_args, "-v", f"{media}:/app/var/media"]
    _ok(_run(docker_engine, "volume", "create", media))
    try:
        _ok(
            _run(
                docker_engine,
                "run",
                "--rm",
                *common,
                image,
                "python",
                "manage.py",
                "migrate",
                "--no-input",
                env=client_env,
                timeout=300,
            )
        )
        seeded = _ok(
            _run(
                docker_engine,
                "run",
                "--rm",
                *common,
                image,
                "python",
                "manage.py",
                "shell",
                "-c",
                SEED,
                env=client_env,
            )
        )
        reference = re.search(r"(\S+) created \(published\)", seeded).group(1)
        start = time.monotonic()
        _ok(_run(docker_engine, "run", "-d", "--name", name, *common, image, env=client_env))
        stack = Stack(docker_engine, name, port, env, database, reference, image)
        first_200 = stack.wait_for("/healthz")
        figures.append(
            f"docker run to the first 200 on /healthz: {time.monotonic() - start:.1f} s"
            f" (polling from the moment `docker run -d` returned: {first_200:.1f} s)"
        )
        yield stack
    finally:
        _run(docker_engine, "rm", "--force", name)
        _run(docker_engine, "volume", "rm", "--force", media)


def test_the_image_holds_translations_and_static_files_but_no_tests_demo_git_venv_or_pip_secrets(
    docker_engine, image
):
    script = (
        "import json, pathlib\n"
        "app = pathlib.Path('/app')\n"
        "print(json.dumps({\n"
        "  'mo': sorted(p.parts[-3] for p in app.glob('locale/*/LC_MESSAGES/django.mo')),\n"
        "  'manifest': json.loads((app / 'var/static/staticfiles.json').read_text())['paths'],\n"
        "  'unwanted': sorted(n for n in ('tests', 'demo', '.git', '.venv', 'bench', 'docs',\n"
        "                                  '.env', 'var/db.sqlite3') if (app / n).exists()),\n"
        "  'pip_settings': sorted(p for p in ('/run/secrets', '/etc/pip.conf', '/etc/xdg/pip',\n"
        "                                    '/root/.config/pip', '/root/.pip')\n"
        "                         if pathlib.Path(p).exists()),\n"
        "}))\n"
    )
    # As root, to see into /root too; that the app user reads it all, the web container shows.
    inspect = ["run", "--rm", "--network", "host", "--user", "0", image, "python", "-c", script]
    found = json.loads(_ok(_run(docker_engine, *inspect)))
    languages = sorted(p.parts[-3] for p in (BASE_DIR / "locale").glob("*/LC_MESSAGES/django.po"))
    assert languages and found["mo"] == languages
    sources = sorted(
        str(p.relative_to(BASE_DIR / "static")) for p in (BASE_DIR / "static").rglob("*.*")
    )
    assert sources and set(sources) <= set(found["manifest"])
    assert any(n.startswith("admin/") for n in found["manifest"]), "Django admin's files too"
    assert found["unwanted"] == []
    assert found["pip_settings"] == [], "the build's pip settings and CA bundle stay out"
    config = json.loads(_ok(_run(docker_engine, "image", "inspect", image)))[0]["Config"]
    assert not [e for e in config["Env"] if e.startswith("PIP_")], config["Env"]


def test_it_runs_as_the_non_root_user_who_cannot_change_the_code(stack):
    assert stack.exec("id", "-u").strip() == APP_UID
    for pid in [1, *stack.worker_pids()]:
        status = stack.exec("cat", f"/proc/{pid}/status")
        assert re.search(rf"^Uid:\s+{APP_UID}\s+{APP_UID}\s", status, re.M), status
    denied = _run(stack.docker, "exec", stack.name, "sh", "-c", "touch /app/traceobject/x")
    assert denied.returncode != 0 and "Permission denied" in denied.stderr
    stack.exec("sh", "-c", "touch /app/var/media/public/.probe && rm /app/var/media/public/.probe")


def test_the_healthcheck_reports_healthy(stack):
    deadline = time.monotonic() + 90  # the first check runs 15 s after start (--interval)
    while time.monotonic() < deadline:
        health = json.loads(
            _ok(_run(stack.docker, "inspect", "--format", "{{json .State.Health}}", stack.name))
        )
        if health["Status"] != "starting":
            break
        time.sleep(1)
    assert health["Status"] == "healthy", f"{health}\n{stack.logs()}"
    assert health["Log"] and health["Log"][-1]["ExitCode"] == 0


def test_probes_gallery_object_page_image_and_static_files_answer(stack):
    assert stack.request("GET", "/healthz")[::2] == (200, b"ok\n")
    assert stack.request("GET", "/readyz")[::2] == (200, b"ok\n")
    status, _, gallery = stack.request("GET", "/en/")
    assert status == 200 and b"Blue shoulder bag" in gallery
    status, _, page = stack.request("GET", f"/en/objects/{stack.reference}/")
    assert status == 200 and b"Where was this bag sold?" in page
    image = re.search(rb'<img[^>]+src="(/media/[^"]+)"', page).group(1).decode()
    status, headers, body = stack.request("GET", image)
    assert status == 200 and headers["Content-Type"].startswith("image/") and body
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1).decode()
    status, headers, body = stack.request("GET", css)
    assert status == 200 and "immutable" in headers["Cache-Control"] and body


def _form(stack, path: str) -> tuple[str, str, bytes]:
    """GET a form: (csrftoken cookie, csrfmiddlewaretoken, page)."""
    status, headers, page = stack.request("GET", path)
    assert status == 200, page[:500]
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return jar["csrftoken"].value, CSRF_FIELD.search(page).group(1).decode(), page


def _post(stack, path: str, cookie: str, fields: dict):
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "Origin": "null",  # what a browser sends under Referrer-Policy: no-referrer
        "Sec-Fetch-Site": "same-origin",
    }
    return stack.request("POST", path, urlencode(fields).encode(), headers)


def test_a_tip_gets_a_receipt_that_is_stored_and_found_again(stack):
    form = f"/en/objects/{stack.reference}/tip/"
    cookie, csrf, page = _form(stack, form)
    started = STARTED.search(page).group(1).decode()
    body = f"Seen in a shop window ({secrets.token_hex(4)})."
    fields = {"body": body, "started": started, "csrfmiddlewaretoken": csrf, "website": ""}
    status, _, answer = _post(stack, form, cookie, fields)
    assert status == 200, answer[:2000]
    code = RECEIPT.search(answer).group(1).decode()

    stored = keyed_hash(receipts.normalise(code), key=stack.env["RECEIPT_KEY"])
    with psycopg2.connect(**stack.database) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT t.body, o.number FROM tips_tip t"
            " JOIN objects_traceobject o ON o.id = t.trace_object_id WHERE t.receipt_hash = %s",
            [stored],
        )
        assert cursor.fetchall() == [(body, int(stack.reference.removeprefix("TAO-")))]

    cookie, csrf, _ = _form(stack, "/en/follow-up/")
    fields = {"code": code.lower(), "csrfmiddlewaretoken": csrf}
    status, _, result = _post(stack, "/en/follow-up/", cookie, fields)
    assert status == 200 and b'class="follow-up-result"' in result
    status, _, refused = _post(stack, "/en/follow-up/", cookie, {**fields, "code": "not a code"})
    assert status == 400 and b'class="follow-up-result"' not in refused


def test_a_killed_worker_is_replaced_and_the_site_answers_again(stack, figures):
    (worker,) = stack.worker_pids()
    stack.exec("sh", "-c", f"kill -KILL {worker}")  # the shell's kill: no procps in the image
    start = time.monotonic()
    while time.monotonic() - start < 30:
        pids = stack.worker_pids()
        if pids and worker not in pids:
            break
        time.sleep(0.05)
    assert pids and worker not in pids, f"no new worker:\n{stack.logs()}"
    seconds = stack.wait_for(f"/en/objects/{stack.reference}/", timeout=30)
    figures.append(
        f"worker {worker} killed: {time.monotonic() - start:.2f} s to a 200 from worker {pids[0]}"
        f" (page answered {seconds:.2f} s after the new worker appeared)"
    )
    assert stack.request("GET", "/readyz")[0] == 200
