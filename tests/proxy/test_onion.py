"""The onion service: deploy/torrc as tor reads it, and budgets per Tor circuit through the real
proxy. No test contacts the Tor network: tor only checks the file (--verify-config), and the
test writes the PROXY protocol headers a local tor would."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from bench.nodes import BASE_DIR
from bench.proxy import ProxyTipClient, circuit_address, proxy_v1, proxy_v2
from tests.factories import make_object
from tips import spam
from tips.models import Tip

TORRC = BASE_DIR / "deploy/torrc"


def _tip_statuses(proxy, obj, clients):
    """One tip from each (preamble, extra headers) in turn: the HTTP statuses."""
    path = reverse("tips:form", args=[obj.number])
    statuses = []
    for i, (preamble, headers) in enumerate(clients):
        client = ProxyTipClient(proxy, path, preamble=preamble, headers=headers)
        try:
            client.open_form()
            outcome = client.post_tip(f"Tip {i}: seen at a market.", spam.issue_token(obj.number))
            statuses.append(outcome.status)
        finally:
            client.close()
    return statuses


def test_tor_accepts_the_shipped_torrc(tmp_path):
    tor = shutil.which("tor")
    if tor is None:
        pytest.fail("tor is not installed (apt-get install tor; .ci/run does)")
    data, service = tmp_path / "data", tmp_path / "service"
    data.mkdir(mode=0o700)
    service.mkdir(mode=0o700)
    text = TORRC.read_text()
    assert "HiddenServiceExportCircuitID haproxy" in text.splitlines()
    assert "HiddenServicePoWDefensesEnabled 1" in text.splitlines()
    assert "HiddenServicePort 80 127.0.0.1:8081" in text.splitlines()
    # Only the two folders change, to temporary ones; every other line is the shipped file's.
    lines = [
        f"DataDirectory {data}"
        if line.startswith("DataDirectory ")
        else f"HiddenServiceDir {service}/"
        if line.startswith("HiddenServiceDir ")
        else line
        for line in text.splitlines()
    ]
    torrc = tmp_path / "torrc"
    torrc.write_text("\n".join(lines) + "\n")
    result = subprocess.run(  # noqa: S603 (fixed argv)
        [tor, "--verify-config", "-f", str(torrc)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Configuration was valid" in result.stdout


def test_the_proxy_listens_for_tor_where_the_torrc_sends_it():
    config = (BASE_DIR / "deploy/haproxy.cfg").read_text()
    assert "presetenv PROXY_ONION_BIND 127.0.0.1:8081" in config
    assert 'bind "${PROXY_ONION_BIND}" accept-proxy' in config


@pytest.mark.postgres
@pytest.mark.redis
def test_two_circuits_get_separate_tip_budgets(front_door):
    proxy, _node = front_door({"TIP_RATE_PER_CLIENT": "1/d", "TIP_RATE_GLOBAL": "1000/d"})
    obj = make_object(title="Brown leather satchel")
    statuses = _tip_statuses(
        proxy,
        obj,
        [
            (proxy_v1(7), None),  # circuit 7, PROXY protocol v1 as tor writes it
            (proxy_v2(7), None),  # the same circuit in v2: the same budget
            (proxy_v1(0xAABBCCDD), None),  # another circuit: its own budget
            (proxy_v2(42), None),
        ],
    )
    assert statuses == [200, 429, 200, 200]
    assert Tip.objects.filter(trace_object=obj).count() == 3


@pytest.mark.postgres
@pytest.mark.redis
def test_a_circuit_header_sent_by_a_client_is_replaced_on_the_onion_port(front_door):
    proxy, _node = front_door({"TIP_RATE_PER_CLIENT": "1/d", "TIP_RATE_GLOBAL": "1000/d"})
    obj = make_object(title="Pink umbrella")
    statuses = _tip_statuses(
        proxy,
        obj,
        [
            (proxy_v1(9), {"X-Tor-Circuit": circuit_address(1)}),
            (proxy_v1(9), {"X-Tor-Circuit": circuit_address(2)}),
        ],
    )
    assert statuses == [200, 429]


@pytest.mark.postgres
@pytest.mark.redis
def test_a_circuit_header_sent_by_a_client_is_stripped_on_the_clear_web(front_door):
    proxy, _node = front_door({"TIP_RATE_PER_CLIENT": "1/d", "TIP_RATE_GLOBAL": "1000/d"})
    obj = make_object(title="White cotton sock")
    statuses = _tip_statuses(
        proxy,
        obj,
        [
            (None, {"X-Tor-Circuit": circuit_address(1)}),
            (None, {"X-Tor-Circuit": circuit_address(2)}),
            (None, None),
        ],
    )
    # One clear-web client (127.0.0.1, as the proxy saw it), one budget, whatever it claimed.
    assert statuses == [200, 429, 429]


@pytest.mark.postgres
@pytest.mark.redis
def test_a_connection_on_the_onion_port_without_a_tor_circuit_is_refused(front_door):
    proxy, node = front_door()
    from bench.proxy import PreambleConnection

    for preamble in (b"PROXY TCP4 127.0.0.9 127.0.0.1 4242 80\r\n", b"PROXY UNKNOWN\r\n"):
        conn = PreambleConnection("127.0.0.1", proxy.onion_port, timeout=10, preamble=preamble)
        assert proxy.request("GET", "/en/", conn=conn)[0] == 400
    conn = PreambleConnection("127.0.0.1", proxy.onion_port, timeout=10)  # no PROXY header
    with pytest.raises((ConnectionError, OSError)):
        proxy.request("GET", "/en/", conn=conn)
