"""What the app does with the onion settings: TOR_CIRCUIT_HEADER (trusted only as configured) and
ONION_ORIGIN (Onion-Location on public pages, trusted as a host and for forms)."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from bench.proxy import circuit_address
from tests.factories import tip_form_data
from tests.test_settings import _load_settings
from tips.limits import client_address
from tips.models import Tip

ONION = "http://" + "a" * 52 + "oqid.onion"
CIRCUIT = {"TOR_CIRCUIT_HEADER": "X-Tor-Circuit", "TOR_CIRCUIT_META": "HTTP_X_TOR_CIRCUIT"}


def _post(client, obj, circuit: int | None):
    extra = {"HTTP_X_TOR_CIRCUIT": circuit_address(circuit)} if circuit is not None else {}
    return client.post(
        reverse("tips:form", args=[obj.number]),
        tip_form_data(obj),
        REMOTE_ADDR="127.0.0.1",
        **extra,
    )


@pytest.mark.django_db
@override_settings(TIP_RATE_PER_CLIENT="1/h", TIP_RATE_GLOBAL="1000/h", **CIRCUIT)
def test_each_circuit_has_its_own_tip_budget(client, published):
    assert [_post(client, published, c).status_code for c in (5, 5, 6)] == [200, 429, 200]
    assert Tip.objects.count() == 2


@pytest.mark.django_db
@override_settings(TIP_RATE_PER_CLIENT="1/h", TIP_RATE_GLOBAL="1000/h", TOR_CIRCUIT_META="")
def test_the_circuit_header_is_ignored_unless_configured(client, published):
    assert [_post(client, published, c).status_code for c in (5, 6)] == [200, 429]
    assert Tip.objects.count() == 1


@override_settings(**CIRCUIT)
def test_only_an_address_in_tors_range_names_a_circuit(rf):
    def address(value):
        return client_address(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_TOR_CIRCUIT=value))

    assert address("fc00:dead:beef:4dad::aabb:ccdd") == f"tor-circuit:{0xAABBCCDD}"
    assert address("fc00:dead:beef:4dad::") == "tor-circuit:0"
    assert address("fc00:dead:beef:4dae::1") == "127.0.0.1"
    assert address("not an address") == "127.0.0.1"
    assert address("") == "127.0.0.1"


@pytest.mark.django_db
@override_settings(ONION_ORIGIN=ONION, ONION_HOST=ONION.removeprefix("http://"))
def test_public_pages_carry_onion_location(client):
    response = client.get("/en/?q=bag")
    assert response["Onion-Location"] == f"{ONION}/en/?q=bag"


@pytest.mark.django_db
@override_settings(ONION_ORIGIN=ONION, ONION_HOST=ONION.removeprefix("http://"), **CIRCUIT)
def test_no_onion_location_on_the_back_office_or_on_the_onion_site(client):
    assert "Onion-Location" not in client.get("/backoffice/login/")
    assert "Onion-Location" not in client.get("/en/", HTTP_X_TOR_CIRCUIT=circuit_address(3))
    host = ONION.removeprefix("http://")
    with override_settings(ALLOWED_HOSTS=[host]):
        response = client.get("/en/", HTTP_HOST=host)
    assert response.status_code == 200
    assert "Onion-Location" not in response


@pytest.mark.django_db
def test_no_onion_location_without_onion_origin(client):
    assert "Onion-Location" not in client.get("/en/")


def test_the_onion_origin_is_trusted_as_a_host_and_for_forms(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import traceobject.settings as s; print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)",
        ],
        env={
            **clean,
            "SECRET_KEY": "x" * 40,
            "RECEIPT_KEY": "r" * 50,
            "TIP_ENCRYPTION_KEYS": os.environ["TIP_ENCRYPTION_KEYS"],
            "VAR_DIR": str(tmp_path),
            "ALLOWED_HOSTS": "tao.example",
            "CSRF_TRUSTED_ORIGINS": "https://tao.example",
            "ONION_ORIGIN": ONION + "/",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    host = ONION.removeprefix("http://")
    assert result.stdout.strip() == f"['tao.example', '{host}'] ['https://tao.example', '{ONION}']"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ONION_ORIGIN": "https://example.onion"}, "ONION_ORIGIN must be http://"),
        ({"ONION_ORIGIN": "http://" + "A" * 56 + ".onion"}, "ONION_ORIGIN must be http://"),
        ({"TOR_CIRCUIT_HEADER": "X-Tor-Circuit"}, "TOR_CIRCUIT_HEADER is set but TRUSTED_PROXY"),
        (
            {"TOR_CIRCUIT_HEADER": "X Tor", "TRUSTED_PROXY_COUNT": "1"},
            "TOR_CIRCUIT_HEADER: 'X Tor' is not a header name",
        ),
    ],
)
def test_a_bad_onion_setting_fails_loudly(tmp_path, env, message):
    result = _load_settings(SECRET_KEY="x" * 40, VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr
