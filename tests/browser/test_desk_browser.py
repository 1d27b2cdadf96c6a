"""An investigator folds a flood of tips on one object into its leads, forwards the top lead
to an agency and asks its tipsters a question, which they then read on their follow-up pages;
with JavaScript off (a phone) and on (a desktop, the queue by keyboard)."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_object, make_tip
from tests.personas import PASSWORD, make_investigator, totp_code, totp_device
from tips.models import Tip

FLOOD = [
    ("Deze komt van de Hema, ik heb hem zelf.", "NL"),
    ("hema", ""),
    ("Das ist von Hema, gibt es auch in Deutschland.", ""),
    ("Widziałam to w Hemie w Holandii", ""),
    ("Bij de Action liggen precies deze.", "NL"),
    ("action", ""),
    ("My neighbour has one like it.", ""),
]
QUESTION = "Which Hema, please: which town?"


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/backoffice/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Code from your authenticator app").fill(totp_code(totp_device(user)))
    page.get_by_role("button", name="Verify").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fixture", ["page_no_js", "page_js"])
def test_an_investigator_folds_a_flood_forwards_its_top_lead_and_asks_its_tipsters(
    live_server, request, fixture
):
    page = request.getfixturevalue(fixture)
    user = make_investigator()
    obj = make_object(title="Canvas tote bag")
    receipts = [make_tip(obj, body=body, country=country) for body, country in FLOOD]
    hema = receipts[:4]

    _log_in(page, live_server, user)
    # The desk: new tips, the busiest object and its top leads.
    expect(page.get_by_text("7 new tips wait")).to_be_visible()
    desk = page.locator("#desk")
    expect(desk.get_by_role("link", name="Hema")).to_be_visible()
    if fixture == "page_js":
        # The queue by keyboard: skip the first tip, mark the next one useful, undo it.
        desk.get_by_role("link", name="triage them").click()
        expect(page.locator("#queue-left")).to_contain_text("7 new tips left")
        expect(page.locator("#tip-lead")).to_contain_text("Hema")
        # Each key is pressed once the page's deferred script has run (the load event).
        page.wait_for_load_state("load")
        page.keyboard.press("k")
        expect(page.locator("#tip-body")).to_have_text("hema")
        page.wait_for_load_state("load")
        page.keyboard.press("u")
        expect(page.locator("#queue-left")).to_contain_text("6 new tips left")
        page.wait_for_load_state("load")
        page.keyboard.press("z")
        expect(page.get_by_text("undone, back to New")).to_be_visible()
        assert page.console_errors == []
    page.goto(live_server.url + f"/backoffice/objects/{obj.pk}/tips/")

    lead = page.locator("#lead-hema")
    expect(lead.get_by_role("heading")).to_contain_text("Hema · 4 tips")
    lead.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Lead confirmed: 3 tips folded into tip")).to_be_visible()

    lead = page.locator("#lead-hema")
    lead.get_by_text("Forward to an agency").click()
    lead.get_by_label("Agency").fill("Politie Utrecht")
    lead.get_by_label("Country").select_option("NL")
    lead.get_by_role("button", name="Forward the lead").click()
    expect(page.get_by_text("Lead forwarded to Politie Utrecht: 4 tips")).to_be_visible()

    lead = page.locator("#lead-hema")
    lead.get_by_text("Ask every tipster of this lead").click()
    lead.get_by_label("Question to the tipster").fill(QUESTION)
    lead.get_by_role("button", name="Ask them").click()
    expect(page.get_by_text("every tipster of the lead: 4 tips")).to_be_visible()

    for receipt in hema:
        page.goto(live_server.url + "/en/follow-up/")
        page.get_by_label("Your receipt code").fill(receipt.code)
        page.get_by_role("button", name="Look up").click()
        expect(page.get_by_text(QUESTION)).to_be_visible()
        expect(page.get_by_text("Passed on to the police")).to_be_visible()
    page.goto(live_server.url + "/en/follow-up/")
    page.get_by_label("Your receipt code").fill(receipts[4].code)
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text("There is no question for you at the moment")).to_be_visible()

    statuses = dict(Tip.objects.values_list("pk", "status"))
    assert [statuses[r.tip.pk] for r in receipts] == ["forwarded"] * 4 + ["new"] * 3
    assert Tip.objects.filter(duplicate_of=hema[0].tip).count() == 3
