"""The restore drill, as an operator runs it: scripts/backup.sh, destroy, scripts/restore.sh,
`manage.py verify_integrity`, each as its own process with the environment a node would have.

The deployment is this run's PostgreSQL test database and two buckets of the S3-compatible test
server (tests/storage/conftest.py). Destroying it drops that database and empties and deletes
the buckets; the restore goes into a new, empty database of the same name (so the test run finds
its database again afterwards) and two new buckets. Print the drill's timings with
`scripts/test.py tests/storage/test_restore_drill.py -s` (docs/benchmarks.md).
"""

import io
import os
import resource
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, connections

from objects import imaging
from objects import services as objects_services
from objects.models import ObjectImage, TraceObject
from tests.factories import make_image_bytes, make_object, make_tip
from tests.storage.conftest import KEYS, REGION, use_buckets
from tips import selectors
from tips.models import Tip, TipMessage
from traceobject import crypto
from traceobject.audit import audit_record
from traceobject.hours import this_hour

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
# The seeded size: published objects (one image each, six derivatives), tips on each under the
# old key and as many under the new one, every tip with contact details, every third with a photo.
# TAO_DRILL_OBJECTS and TAO_DRILL_TIPS_PER_OBJECT seed more for a benchmark (docs/benchmarks.md).
OBJECTS = int(os.environ.get("TAO_DRILL_OBJECTS", "6"))
TIPS_PER_OBJECT_AND_KEY = int(os.environ.get("TAO_DRILL_TIPS_PER_OBJECT", "2"))


@dataclass
class Drill:
    endpoint: str
    client: object
    tmp: Path
    sync: str
    buckets: tuple[str, str] = ("", "")
    codes: dict[int, str] = field(default_factory=dict)
    old_tips: list[Tip] = field(default_factory=list)
    # step: (wall-clock seconds, CPU seconds of the step's processes)
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)

    def new_buckets(self) -> tuple[str, str]:
        prefix = f"drill-{secrets.token_hex(4)}"
        self.buckets = (f"{prefix}-public", f"{prefix}-private")
        for bucket in self.buckets:
            self.client.create_bucket(Bucket=bucket)
        return self.buckets

    def database_url(self) -> str:
        s = connection.settings_dict
        user = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def env(self, **extra: str) -> dict[str, str]:
        public, private = self.buckets
        return {
            **os.environ,
            "DATABASE_URL": self.database_url(),
            "S3_PUBLIC_BUCKET": public,
            "S3_PRIVATE_BUCKET": private,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ADDRESSING_STYLE": "path",
            "S3_ACCESS_KEY_ID": KEYS["access_key"],
            "S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
            "S3_SYNC": self.sync,
            "PYTHON": sys.executable,
            "TIP_ENCRYPTION_KEYS": f"{NEW_KEY},{OLD_KEY}",
            **extra,
        }

    def run(self, step: str, command: list[str], **extra: str) -> subprocess.CompletedProcess:
        started, cpu = time.monotonic(), _children_cpu()
        result = subprocess.run(
            command, cwd=ROOT, env=self.env(**extra), capture_output=True, text=True, timeout=300
        )
        self.timings[step] = (time.monotonic() - started, _children_cpu() - cpu)
        return result

    def seed(self, settings) -> None:
        """Published objects with images, a draft, tips with contact details and photos under
        an old key and then a new one, investigators' questions, an audit entry."""
        use_buckets(settings, self.endpoint, public=self.buckets[0], private=self.buckets[1])
        objects = [_object_with_image(n) for n in range(OBJECTS)]
        _object_with_image(OBJECTS, status="draft", publish=False)
        for keys in ([OLD_KEY], [NEW_KEY, OLD_KEY]):
            settings.TIP_ENCRYPTION_KEYS = keys
            for n, obj in enumerate(objects * TIPS_PER_OBJECT_AND_KEY):
                photo = make_image_bytes(size=(40, 30)) if n % 3 == 0 else None
                receipt = make_tip(
                    obj, contact=f"tipster {n}, +44 20 7946 {n:04}", photo_jpeg=photo
                )
                self.codes[receipt.tip.pk] = receipt.code
                if n % 4 == 0:
                    TipMessage.objects.create(
                        tip=receipt.tip,
                        author=TipMessage.Author.INVESTIGATOR,
                        body_encrypted=crypto.encrypt_text(f"Which shop, tipster {n}?"),
                        created_at=this_hour(),
                        sequence=1,
                    )
                if keys == [OLD_KEY]:
                    self.old_tips.append(receipt.tip)
        audit_record(action="purge", actor_name="restore drill", target_type="tips.tip")

    def backup(self) -> Path:
        root = self.tmp / "backups"
        root.mkdir()
        result = self.run("backup", ["scripts/backup.sh", str(root)])
        assert result.returncode == 0, result.stderr
        return Path(result.stdout.strip())

    def destroy(self) -> None:
        """Drop the database and empty and delete the buckets; then an empty database and two
        empty buckets to restore into."""
        connections.close_all()
        name = connection.settings_dict["NAME"]
        with psycopg.connect(self.admin_dsn(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        for bucket in self.buckets:
            for key in bucket_keys(self.client, bucket):
                self.client.delete_object(Bucket=bucket, Key=key)
            self.client.delete_bucket(Bucket=bucket)
        self.new_buckets()

    def admin_dsn(self) -> str:
        return self.database_url().rsplit("/", 1)[0] + "/postgres"

    def restore(self, backup: Path) -> subprocess.CompletedProcess:
        return self.run("restore", ["scripts/restore.sh", str(backup)])

    def verify(self, **extra: str) -> subprocess.CompletedProcess:
        return self.run("verify", [sys.executable, "manage.py", "verify_integrity"], **extra)


def _object_with_image(n: int, *, status: str = "published", publish: bool = True):
    """An object whose image has pixels of its own, so no two share a derivative file."""
    obj = make_object(status=status, with_image=False)
    data = make_image_bytes(size=(640, 480), color=(n % 256, n // 256 % 256, 90))
    image = objects_services.object_image_add(
        obj=obj, processed=imaging.process_upload(io.BytesIO(data))
    )
    if publish:
        objects_services.object_image_edit(image=image, edit=imaging.Edit())
    return obj


def _children_cpu() -> float:
    """CPU seconds used by this process's finished children (the scripts and the tools they
    ran; not the S3 test server, which is still running, nor PostgreSQL)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bucket_keys(client, bucket: str) -> set[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def restored(drill: Drill, settings) -> Path:
    drill.new_buckets()
    drill.seed(settings)
    backup = drill.backup()
    drill.destroy()
    result = drill.restore(backup)
    assert result.returncode == 0, result.stderr
    use_buckets(settings, drill.endpoint, public=drill.buckets[0], private=drill.buckets[1])
    return backup


@pytest.fixture
def drill(s3_server, tmp_path):
    endpoint, client = s3_server
    yield Drill(endpoint=endpoint, client=client, tmp=tmp_path, sync="auto")
    # A drill that failed between the drop and the restore leaves an empty database; the rest
    # of the run needs its tables back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
        if not cursor.fetchone()[0]:
            call_command("migrate", verbosity=0)


# boto3 (scripts/s3sync.py) always; the AWS CLI where it is installed.
SYNCS = [
    "python",
    pytest.param(
        "aws",
        marks=pytest.mark.skipif(
            not shutil.which("aws"), reason="the aws command is not installed"
        ),
    ),
]


@pytest.mark.parametrize("sync", SYNCS)
def test_a_restored_deployment_is_whole_and_every_receipt_code_is_found(drill, settings, sync):
    drill.sync = sync
    backup = restored(drill, settings)
    result = drill.verify()
    assert result.returncode == 0, result.stdout + result.stderr
    tips, photos = len(drill.codes), Tip.objects.exclude(photo_name="").count()
    per_key = range(OBJECTS * TIPS_PER_OBJECT_AND_KEY)
    assert photos == 2 * len(per_key[::3])
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"Checked {OBJECTS + 1} images ")
    assert f"{tips} tips ({tips} contact details, {photos} photos)" in summary
    # 400 px and the 640 px original's width, WebP and JPEG (thumb, large and full share them).
    urls = sum(len(i.derivative_names()) for i in ObjectImage.objects.exclude(renditions=[]))
    assert urls == OBJECTS * 4
    assert summary.endswith(f"2 audit triggers, {urls} public URLs: 0 problems.")
    assert "problem:" not in result.stdout
    for pk, code in drill.codes.items():
        follow_up = selectors.tip_follow_up(code=code)
        assert follow_up.found and follow_up.tip.pk == pk
    asked = Tip.objects.filter(messages__isnull=False).distinct()
    assert asked.count() == 2 * len(per_key[::4])
    for tip in asked:
        thread = selectors.tip_follow_up(code=drill.codes[tip.pk]).thread
        assert thread[0][1].startswith("Which shop, tipster ")
    print(
        f"\nrestore drill ({drill.sync} sync): {OBJECTS + 1} objects, {tips} tips "
        f"({photos} photos), {sum(1 for p in backup.rglob('*') if p.is_file())} files in the "
        f"backup, {sum(p.stat().st_size for p in backup.rglob('*') if p.is_file())} bytes: "
        + ", ".join(
            f"{step} {wall:.1f} s ({cpu:.1f} s CPU)" for step, (wall, cpu) in drill.timings.items()
        )
    )


def test_the_backup_holds_none_of_the_keys(drill, settings):
    drill.new_buckets()
    drill.seed(settings)
    backup = drill.backup()
    secrets_ = [
        django_settings.SECRET_KEY,
        django_settings.RECEIPT_KEY,
        OLD_KEY,
        NEW_KEY,
        OLD_KEY.rstrip("="),
        NEW_KEY.rstrip("="),
    ]
    files = [p for p in backup.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"database.dump", "SHA256SUMS", "INFO"}
    for path in files:
        data = path.read_bytes()
        for secret in secrets_:
            assert secret.encode() not in data, f"{path} holds a key"


def test_a_deployment_without_the_old_key_names_each_value_it_cannot_read(drill, settings):
    drill.new_buckets()
    drill.seed(settings)
    result = drill.verify(TIP_ENCRYPTION_KEYS=NEW_KEY)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("problem: ")]
    expected = []
    for tip in drill.old_tips:
        expected.append(
            f"problem: tip {tip.pk}: contact details do not decrypt with TIP_ENCRYPTION_KEYS"
        )
        if tip.photo_name:
            expected.append(
                f"problem: tip {tip.pk}: photo {tip.photo_name} does not decrypt with "
                "TIP_ENCRYPTION_KEYS"
            )
        for message in TipMessage.objects.filter(tip=tip):
            expected.append(
                f"problem: tip {tip.pk}: message {message.pk} does not decrypt with "
                "TIP_ENCRYPTION_KEYS"
            )
    assert sorted(problems) == sorted(expected)
    assert f"{len(expected)} problems: the deployment is not whole." in result.stderr


def test_a_deployment_missing_files_names_each_one(drill, settings):
    drill.new_buckets()
    drill.seed(settings)
    public, private = drill.buckets
    image = TraceObject.objects.published().first().images.get()
    photo_tip = Tip.objects.exclude(photo_name="").first()
    rendition = sorted(image.derivative_names())[0]
    drill.client.delete_object(Bucket=private, Key=image.original.name)
    drill.client.delete_object(Bucket=public, Key=rendition)
    drill.client.delete_object(Bucket=private, Key=photo_tip.photo_name)
    result = drill.verify()
    assert result.returncode == 1
    problems = sorted(line for line in result.stdout.splitlines() if line.startswith("problem: "))
    # Derivatives are named by content hash: any image with the same pixels would name it too.
    sharing = ObjectImage.objects.filter(renditions__contains=[{"name": rendition}])
    url = f"{drill.endpoint}/{public}/{rendition}"
    expected = [
        f"problem: {_label(image)}: original {image.original.name} is missing from private storage",
        f"problem: tip {photo_tip.pk}: photo {photo_tip.photo_name} is missing from private "
        "storage",
    ]
    for other in sharing.select_related("trace_object"):
        expected += [
            f"problem: {_label(other)}: published rendition {rendition} is missing from public "
            "storage",
            f"problem: {_label(other)}: {url} answered 404",
        ]
    assert sharing.count() == 1
    assert problems == sorted(expected)
    assert f"{len(expected)} problems: the deployment is not whole." in result.stderr


def _label(image: ObjectImage) -> str:
    return f"image {image.pk} ({image.trace_object.reference})"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(drill, settings):
    drill.sync = "python"
    drill.new_buckets()
    drill.seed(settings)
    backup = drill.backup()
    photo = next((backup / "private" / "tips").iterdir())
    photo.unlink()
    drill.new_buckets()
    scratch = f"{connection.settings_dict['NAME']}_scratch"
    with psycopg.connect(drill.admin_dsn(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        scratch_url = drill.database_url().rsplit("/", 1)[0] + f"/{scratch}"
        result = drill.run("restore", ["scripts/restore.sh", str(backup)], DATABASE_URL=scratch_url)
        with psycopg.connect(scratch_url) as db:
            tables = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert tables.fetchone()[0] == 0
    finally:
        with psycopg.connect(drill.admin_dsn(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')
    assert result.returncode == 1
    assert f"./private/tips/{photo.name}: FAILED open or read" in result.stdout + result.stderr
    assert "the backup is damaged" in result.stderr
    assert bucket_keys(drill.client, drill.buckets[0]) == set()
    assert bucket_keys(drill.client, drill.buckets[1]) == set()
