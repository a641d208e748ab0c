"""The load run's users, for locust (run headless by `bench load`, demo/bench/load.py, against gunicorn on loopback).

The demo agency's staff at work: caseworkers open My work and their cases and log home visits, supervisors
watch their dashboard, the screener takes new reports. Each user starts signed in (the bench hands over a
session per demo user in KINDRED_LOAD_SESSIONS, so the run measures the work, not argon2 hashing the password;
without it, a user signs in through the sign-in form as a person does), then works without pause: a few
users keep the server busy, as many more people thinking between steps would, so the requests per second are
what the server can do. `FloorUser` opens only the bench's trivial
signed-in page, the same way: the floor the mix is compared with.

Run on its own (against `make run`): locust -f demo/bench/locustfile.py --host http://127.0.0.1:8000
"""

import os
import random
import re
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from locust import HttpUser, constant, task

DEMO_PASSWORD = "kindred-demo-password"  # seed_demo's published password for its invented staff
CASEWORKERS = ["worker1", "worker2", "worker3", "worker4"]
SUPERVISORS = ["supervisor1", "supervisor2"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
API = "/api/"
# "username=session key,..." from `bench load`: sessions it made for the demo staff.
SESSIONS = dict(pair.split("=", 1) for pair in os.environ.get("KINDRED_LOAD_SESSIONS", "").split(",") if pair)


class StaffUser(HttpUser):
    abstract = True
    wait_time = constant(0)
    usernames: list[str] = []

    def on_start(self) -> None:
        username = random.choice(self.usernames)  # noqa: S311 - choosing a demo user, not a secret
        if username not in SESSIONS:
            self.sign_in(username)
            return
        host = urlsplit(self.host).hostname
        self.client.cookies.set("sessionid", SESSIONS[username], domain=host)
        # Any well-formed secret does as the CSRF cookie; the pages' forms and the API header carry it back.
        self.client.cookies.set("csrftoken", secrets.token_hex(16), domain=host)

    def sign_in(self, username: str) -> None:
        form = self.client.get("/sign-in/", name="sign-in form")
        token = CSRF_FIELD.search(form.text).group(1)
        self.client.post(
            "/sign-in/",
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/sign-in/"},
            name="sign in",
        )

    def api_headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    def form_token(self, path: str, name: str) -> str:
        return CSRF_FIELD.search(self.client.get(path, name=name).text).group(1)


class CaseworkerUser(StaffUser):
    weight = 5
    usernames = CASEWORKERS

    def on_start(self) -> None:
        super().on_start()
        # Open cases only: the case list includes closed ones, and a visit on a closed case is refused (400).
        cases = self.client.get(API + "cases/?status=open", name="api cases").json()["results"]
        # A visit cannot be before its case opened: the demo opens some cases minutes before the run.
        self.opened = {case["id"]: datetime.fromisoformat(case["opened_at"]) for case in cases}
        self.cases = list(self.opened)

    @task(3)
    def my_work(self) -> None:
        self.client.get("/my-work/", name="my work")

    @task(3)
    def open_a_case(self) -> None:
        if self.cases:
            self.client.get(f"/cases/{random.choice(self.cases)}/", name="case page")  # noqa: S311

    @task(1)
    def log_a_visit(self) -> None:
        if not self.cases:
            return
        case = random.choice(self.cases)  # noqa: S311
        members = self.client.get(f"{API}cases/{case}/members/", name="api case members").json()
        members = members.get("results", members) if isinstance(members, dict) else members
        seen = [member["person"] for member in members if member.get("ended_on") is None][:2]
        if not seen:
            return
        visit = {
            "occurred_at": max(datetime.now(UTC) - timedelta(minutes=10), self.opened[case]).isoformat(),
            "contact_type": "face_to_face",
            "location": "residence",
            "people_seen": seen,
            "narrative": "Home visit during the load run; the children were at home with their parent.",
        }
        self.client.post(f"{API}cases/{case}/contacts/", json=visit, headers=self.api_headers(), name="log a visit")


class SupervisorUser(StaffUser):
    weight = 2
    usernames = SUPERVISORS

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def dashboard_api(self) -> None:
        self.client.get(API + "dashboard/", name="api dashboard")


class ScreenerUser(StaffUser):
    weight = 2
    usernames = ["screener"]

    @task(2)
    def intake_queue(self) -> None:
        self.client.get("/intake/", name="intake queue")

    @task(1)
    def enter_a_report(self) -> None:
        token = self.form_token("/intake/new/", "new report form")
        received = datetime.now().replace(second=0, microsecond=0) - timedelta(minutes=5)  # noqa: DTZ005 - form time
        self.client.post(
            "/intake/new/",
            {
                "received_at": received.strftime("%Y-%m-%dT%H:%M"),
                "method": "phone",
                "report_source": "education",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/intake/new/"},
            name="enter a report",
        )


class FloorUser(StaffUser):
    """The cheapest signed-in page: what the server does at most, for the ratio."""

    usernames = CASEWORKERS

    @task
    def floor(self) -> None:
        self.client.get("/bench/floor/", name="floor")
