"""The accessibility check every browser test runs (`AxeWatch`): it sees each page shown and names a serious
or critical violation, and Kindred's pages pass it."""

import pytest
from django.urls import reverse

from tests.browser.accessibility import AxeWatch
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import make_case, make_investigation

pytestmark = pytest.mark.browser

BROKEN = (
    '<!doctype html><html lang="en"><head><title>Probe</title></head>'
    '<body><main><img src="data:,"></main></body></html>'
)


def test_it_names_a_serious_violation_on_any_page_shown(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        watch = AxeWatch(context)
        page = context.new_page()
        page.route("**/axe-probe", lambda route: route.fulfill(body=BROKEN, content_type="text/html"))
        page.goto(reverse("login"))
        page.goto("/axe-probe")
        found = watch.finish()
        assert reverse("login") in watch.checked and "/axe-probe" in watch.checked
        assert any("/axe-probe: critical image-alt" in line for line in found), found
        assert not [line for line in found if line.startswith(reverse("login"))]
    finally:
        context.close()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_work_queues_and_lists_pass_it(cast, new_page, sign_in, phone):
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    make_investigation(cast.screener)
    for user, pages in (
        (cast.supervisor, ["home", "case_list", "intake_queue", "notification_list", "supervisor_dashboard"]),
        (cast.screener, ["home", "intake_queue"]),
        (cast.administrator, ["home", "staff_list"]),
    ):
        page = new_page(phone=phone)
        sign_in(page, user.username)
        for name in pages:
            page.goto(reverse(name))
            page.wait_for_load_state("load")
