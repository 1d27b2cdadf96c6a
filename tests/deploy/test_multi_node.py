"""Two gunicorn nodes on one PostgreSQL, one Redis and shared media folders behave as one site."""

import http.client
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from objects import services
from objects.models import TraceObject
from tests.factories import make_object
from tests.personas import PASSWORD, make_editor, totp_code, totp_device

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _post_form(node, path, fields, cookies):
    conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=10)
    try:
        conn.request(
            "POST",
            path,
            body=urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "Origin": f"http://127.0.0.1:{node.port}",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()


def _cookies(set_cookie_headers) -> dict:
    jar = SimpleCookie()
    for header in set_cookie_headers:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def test_an_object_published_is_served_with_its_image_by_both_nodes(
    node_env, media_settings, start_node
):
    a, b = start_node(node_env), start_node(node_env)
    obj = make_object(status="draft", title="Green enamel mug")
    path = obj.get_absolute_url()
    assert a.get(path)[0] == 404 and b.get(path)[0] == 404

    obj.status = TraceObject.Status.PUBLISHED
    services.object_save(obj=obj)

    status, _, body = b.get(path)
    assert status == 200
    assert b"Green enamel mug" in body
    image_urls = set(re.findall(rb'src="(/media/[^"]+)"', body))
    assert image_urls
    for url in image_urls:
        stored = Path(node_env["MEDIA_PUBLIC_ROOT"], url.decode().removeprefix("/media/"))
        for node in (a, b):
            status, headers, content = node.get(url.decode())
            assert status == 200
            assert headers["Content-Type"].startswith("image/")
            assert content == stored.read_bytes()


def _form_step(node, path, fields, cookies):
    """GET a form page on a node (for its CSRF token), POST the fields; cookies are updated."""
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    status, headers, body = node.get(path, headers={"Cookie": cookie_header} if cookies else {})
    assert status == 200, (path, status)
    cookies.update(_cookies([v for k, v in headers.items() if k.lower() == "set-cookie"]))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    status, set_cookies = _post_form(node, path, {**fields, "csrfmiddlewaretoken": token}, cookies)
    cookies.update(_cookies(set_cookies))
    return status


def test_a_staff_session_made_on_one_node_works_on_the_other(node_env, start_node):
    a, b = start_node(node_env), start_node(node_env)
    editor = make_editor()
    cookies = {}
    # The password on node A, the second factor on node B: one login across two nodes.
    step = _form_step(
        a, "/backoffice/login/", {"username": "editor", "password": PASSWORD}, cookies
    )
    assert step == 302, "password step on node A failed"
    step = _form_step(b, "/backoffice/otp/", {"token": totp_code(totp_device(editor))}, cookies)
    assert step == 302, "second-factor step on node B failed"

    for node in (a, b):
        status, _, body = node.get(
            "/backoffice/", headers={"Cookie": f"sessionid={cookies['sessionid']}"}
        )
        assert status == 200
        assert b"editor" in body
    # Without the cookie a node sends the visitor to the login page: the session made the change.
    assert b.get("/backoffice/")[0] == 302


def test_the_gallery_is_fresh_on_both_nodes_after_an_object_changes(
    node_env, media_settings, start_node
):
    a, b = start_node(node_env), start_node(node_env)
    obj = make_object(title="Striped beach towel")
    for node in (a, b):
        assert b"Striped beach towel" in node.get("/en/")[2]

    obj.title = "Striped bath towel"
    services.object_save(obj=obj)

    for node in (a, b):
        gallery = node.get("/en/")[2]
        assert b"Striped bath towel" in gallery
        assert b"Striped beach towel" not in gallery


def _tip_statuses(nodes, obj, sources, env):
    """One tip from each source in turn, alternating between the nodes; the HTTP statuses."""
    from django.urls import reverse

    from bench.tipload import TipClient
    from tips import spam

    path = reverse("tips:form", args=[obj.number])
    statuses = []
    for i, source in enumerate(sources):
        client = TipClient(nodes[i % len(nodes)].port, path, source=source)
        try:
            client.open_form()
            outcome = client.post_tip(f"Tip {i}: seen at a market.", spam.issue_token(obj.number))
            statuses.append(outcome.status)
        finally:
            client.close()
    return statuses


def _tip_env(node_env, settings, **limits):
    # This process's SECRET_KEY so it can mint form tokens; no minimum fill time; per-day
    # windows so no window boundary falls inside the test.
    return {**node_env, "SECRET_KEY": settings.SECRET_KEY, "TIP_MIN_FILL_SECONDS": "0", **limits}


def test_the_per_client_tip_limit_holds_across_both_nodes(node_env, start_node, settings):
    from tips.models import Tip

    env = _tip_env(node_env, settings, TIP_RATE_PER_CLIENT="3/d", TIP_RATE_GLOBAL="1000/d")
    a, b = start_node(env), start_node(env)
    obj = make_object(title="Red wool scarf")
    # One client alternating A, B, A, B, A: the third tip is its last, on whichever node.
    assert _tip_statuses([a, b], obj, ["127.0.5.1"] * 5, env) == [200, 200, 200, 429, 429]
    # Another client is not affected, on either node.
    assert _tip_statuses([b, a], obj, ["127.0.5.2"] * 2, env) == [200, 200]
    assert Tip.objects.filter(trace_object=obj).count() == 5


def test_the_global_tip_limit_holds_across_both_nodes(node_env, start_node, settings):
    from tips.models import Tip

    env = _tip_env(node_env, settings, TIP_RATE_PER_CLIENT="100/d", TIP_RATE_GLOBAL="4/d")
    a, b = start_node(env), start_node(env)
    obj = make_object(title="Yellow rubber boots")
    sources = [f"127.0.6.{i}" for i in range(1, 7)]  # six different clients
    assert _tip_statuses([a, b], obj, sources, env) == [200, 200, 200, 200, 429, 429]
    assert Tip.objects.filter(trace_object=obj).count() == 4
