import pytest

from tests.factories import make_category, make_object


@pytest.mark.django_db(transaction=True)
def test_a_visitor_without_javascript_filters_opens_an_object_and_sees_its_question(
    live_server, page_no_js
):
    bags = make_category("bags", "Bags and luggage")
    lamps = make_category("lamps", "Lamps")
    make_object(category=bags, title="Canvas tote bag", question="Where is this bag sold?")
    make_object(category=lamps, title="Brass hotel lamp", question="Which hotel uses this lamp?")
    page = page_no_js
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Can you identify these objects?"
    assert page.locator(".card").count() == 2

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Lamps").click()
    assert page.locator(".card").count() == 1
    assert "Brass hotel lamp" in page.locator(".card").inner_text()

    page.get_by_role("link", name="Brass hotel lamp").click()
    assert page.get_by_role("heading", name="Which hotel uses this lamp?").is_visible()
    assert page.get_by_role("link", name="Send a tip about this object").is_visible()
    image = page.locator(".object-image img")
    assert image.evaluate("img => img.naturalWidth") > 0  # the derivative really loads
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert page.context.cookies() == []
