"""scripts/pip_build_secrets.py: this machine's pip settings as the image build's secrets."""

import importlib.util
import os
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pip_build_secrets.py"
_spec = importlib.util.spec_from_file_location("pip_build_secrets", SCRIPT)
secrets_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(secrets_script)

# What `pip config list` prints: configuration files first, then PIP_* variables.
LISTING = """\
global.cert='/etc/ssl/certs/ca-certificates.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple https://mirror.example/simple'
global.find-links='/opt/wheels'
global.index-url='https://user:secret@index.example/simple'
:env:.default-timeout='180'
:env:.index-url='https://env-index.example/simple'
"""


def test_it_keeps_how_to_reach_an_index_and_drops_local_paths():
    conf = secrets_script.build_conf(secrets_script.pip_settings(LISTING), cert_copied=True)
    assert conf.splitlines() == [
        "[global]",
        "cert = /run/secrets/pip_cert",
        "extra-index-url = https://mirror.example/simple",
        "index-url = https://env-index.example/simple",  # the variable wins, as in pip
        "timeout = 180",
    ]


def test_without_a_readable_bundle_no_cert_is_named():
    conf = secrets_script.build_conf(secrets_script.pip_settings(LISTING), cert_copied=False)
    assert "cert" not in conf


def test_it_writes_the_secrets_and_prints_their_docker_build_arguments(
    tmp_path, capsys, monkeypatch
):
    bundle = tmp_path / "bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nnot a real one\n-----END CERTIFICATE-----\n")
    # pip's real `config list`, with no configuration file and these variables only.
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_CERT", str(bundle))
    monkeypatch.setenv("PIP_INDEX_URL", "https://index.example/simple")
    out = tmp_path / "secrets"
    assert secrets_script.main(["pip_build_secrets.py", str(out)]) == 0
    assert capsys.readouterr().out.split() == [
        "--secret",
        f"id=pip_conf,src={out / 'pip.conf'}",
        "--secret",
        f"id=pip_cert,src={out / 'pip-cert.pem'}",
    ]
    assert (out / "pip-cert.pem").read_text() == bundle.read_text()
    conf = (out / "pip.conf").read_text()
    assert "cert = /run/secrets/pip_cert" in conf
    assert "index-url = https://index.example/simple" in conf
