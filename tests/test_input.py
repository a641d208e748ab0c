"""Input the system refuses with a clear message rather than a server error or a stored absurdity: NUL
characters, absurd months, page numbers and dates, implausible birth, incident and household dates,
hidden characters in names, overlong API text and searches (issue #10, "Input")."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from cases import services as intake
from cases.api import intake as cases_api_intake
from cases.choices import ParticipantRole
from cases.forms.intake import AmendForm, ReportSectionForm
from common.input import NUL_REFUSED
from families import services as family_services
from tests.factories import make_investigation, make_person, make_report

pytestmark = pytest.mark.django_db

NUL = "\x00"
TWENTY_DIGITS = "9" * 20


@pytest.fixture
def screened_in(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    investigation.report.refresh_from_db()
    return investigation.report


def test_it_refuses_a_nul_in_an_amendment_on_the_page(cast, client_for, screened_in):
    page = reverse("intake_amend", args=[screened_in.public_id])
    response = client_for(cast.worker).post(page, {"field": "narrative", "value": f"A{NUL}B", "reason": "Typo"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_it_refuses_a_nul_in_an_amendment_through_the_api(cast, api_for, screened_in):
    url = reverse("api_intake_report_amend", args=[screened_in.public_id])
    body = {"field": "narrative", "value": f"A{NUL}B", "reason": "Typo"}
    response = api_for(cast.supervisor).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_REFUSED}


def test_it_refuses_a_nul_in_the_investigations_status_filter(cast, api_for):
    response = api_for(cast.supervisor).get(reverse("api_investigation_list"), {"status": f"open{NUL}"})
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_REFUSED}


def test_it_refuses_a_nul_in_the_staff_search(cast, api_for):
    response = api_for(cast.administrator).get(reverse("api_staff_list"), {"q": f"a{NUL}"})
    assert response.status_code == 400


def test_it_refuses_a_nul_in_the_audit_pages_path(cast, client_for):
    response = client_for(cast.auditor).get("/audit/accounts.user/a%00b/")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("url_name", ["supervisor_dashboard", "api_dashboard"])
def test_it_refuses_a_month_before_anyone_on_a_record_was_born(cast, client_for, url_name):
    response = client_for(cast.supervisor).get(reverse(url_name), {"month": "0001-01"})
    assert response.status_code == 400
    assert "Choose a month from" in response.content.decode()


@pytest.mark.parametrize("url_name", ["supervisor_dashboard", "api_dashboard"])
def test_it_gives_the_last_page_for_an_absurd_page_number(cast, client_for, url_name):
    response = client_for(cast.supervisor).get(reverse(url_name), {"page": TWENTY_DIGITS})
    assert response.status_code == 200


def test_the_dashboard_api_answers_the_last_page_for_an_absurd_page_number(cast, api_for):
    body = api_for(cast.supervisor).get(reverse("api_dashboard"), {"page": TWENTY_DIGITS}).json()
    assert body["page"] == body["pages"]


def test_the_audit_page_refuses_a_date_in_the_year_9999(cast, client_for):
    response = client_for(cast.auditor).get(reverse("audit_list"), {"until": "9999-12-31"})
    assert response.status_code == 400
    assert "Choose a date from" in response.content.decode()


def test_the_audit_api_refuses_a_date_in_the_year_9999(cast, api_for):
    response = api_for(cast.auditor).get(reverse("api_audit_events"), {"until": "9999-12-31"})
    assert response.status_code == 400
    assert list(response.json()) == ["until"] and response.json()["until"][0].startswith("Choose a date from")


def test_the_staff_search_is_capped_in_length_and_words(cast, api_for, client_for):
    api = api_for(cast.administrator)
    long = api.get(reverse("api_staff_list"), {"q": "a" * 201})
    assert long.status_code == 400 and "200 characters" in long.content.decode()
    wordy = api.get(reverse("api_staff_list"), {"q": " ".join("a" * 11)})
    assert wordy.status_code == 400 and "10 words" in wordy.content.decode()
    page = client_for(cast.administrator).get(reverse("staff_list"), {"q": " ".join("a" * 11)})
    assert page.status_code == 400 and "at most 10 words" in page.content.decode()


# --- plausible dates ------------------------------------------------------------------------------


def years_ago(years: int, days: int = 0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (date(1, 1, 1), "The date of birth cannot be more than 120 years ago."),
        (date(9999, 12, 31), "The date of birth cannot be in the future."),
    ],
)
def test_a_birth_date_is_within_the_last_120_years(cast, birth_date, message):
    with pytest.raises(ValidationError) as excinfo:
        make_person(cast.screener, birth_date=birth_date)
    assert errors_of(excinfo)["birth_date"] == [message]
    assert make_person(cast.screener, birth_date=years_ago(119)).birth_date == years_ago(119)


def test_a_birth_date_through_the_api_is_refused_with_its_message(cast, api_for):
    body = {"first_name": "Ada", "last_name": "Quill", "birth_date": "0001-01-01", "confirmed_not_duplicate": True}
    response = api_for(cast.screener).post(reverse("api_person_list"), body, format="json")
    assert response.status_code == 400
    assert response.json()["birth_date"] == ["The date of birth cannot be more than 120 years ago."]


@pytest.mark.parametrize(
    ("incident_date", "message"),
    [
        (date(1, 1, 1), "The incident date cannot be more than 120 years ago."),
        (date(9999, 12, 31), "The incident cannot be after the report was received."),
    ],
)
def test_an_incident_date_is_plausible(cast, incident_date, message):
    with pytest.raises(ValidationError) as excinfo:
        make_report(cast.screener, incident_date=incident_date)
    assert errors_of(excinfo)["incident_date"] == [message]


def test_an_incident_is_not_before_the_birth_of_an_alleged_victim(cast):
    report = make_report(cast.screener)
    victim = report.participants.get(role=ParticipantRole.ALLEGED_VICTIM).person
    with pytest.raises(ValidationError) as excinfo:
        intake.report_update(actor=cast.screener, report=report, incident_date=victim.birth_date - timedelta(days=1))
    assert errors_of(excinfo)["incident_date"] == [
        "The incident date is before the birth of an alleged victim on the report."
    ]
    intake.report_update(actor=cast.screener, report=report, incident_date=victim.birth_date)


def test_a_child_born_after_the_incident_is_not_added_as_its_victim(cast):
    report = make_report(cast.screener, children=0, incident_date=timezone.localdate() - timedelta(days=30))
    newborn = make_person(cast.screener, birth_date=timezone.localdate() - timedelta(days=3))
    with pytest.raises(ValidationError, match="born after the report's incident date"):
        intake.report_add_person(
            actor=cast.screener, report=report, person=newborn, role=ParticipantRole.ALLEGED_VICTIM
        )
    intake.report_add_person(actor=cast.screener, report=report, person=newborn, role=ParticipantRole.PARENT_CAREGIVER)


@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        (date(1, 1, 1), "The start of a household membership cannot be more than 120 years ago."),
        (timezone.localdate() + timedelta(days=1), "The start of a household membership cannot be in the future."),
    ],
)
def test_a_household_start_is_plausible(cast, started_on, message):
    person = make_person(cast.screener)
    with pytest.raises(ValidationError) as excinfo:
        family_services.household_create(
            actor=cast.screener, name="Quill household", address="", members=[person], started_on=started_on
        )
    assert errors_of(excinfo)["started_on"] == [message]


# --- names ----------------------------------------------------------------------------------------

HIDDEN_CHARACTER = "A name cannot contain control characters or characters that change the text's direction."


@pytest.mark.parametrize("name", ["Ann\x07e", "Ann\te", "Ann\u202eeilut", "Ann\u2066e\u2069", "Ann\u202ae"])
@pytest.mark.parametrize("field", ["first_name", "middle_name", "last_name"])
def test_a_name_refuses_control_and_bidirectional_characters(cast, field, name):
    with pytest.raises(ValidationError) as excinfo:
        make_person(cast.screener, **{field: name})
    assert errors_of(excinfo)[field] == [HIDDEN_CHARACTER]


def test_an_alias_refuses_hidden_characters(cast):
    person = make_person(cast.screener)
    with pytest.raises(ValidationError) as excinfo:
        family_services.person_add_alias(
            actor=cast.screener, person=person, first_name="Ann\u202ee", last_name="Quill", kind="alias"
        )
    assert errors_of(excinfo)["first_name"] == [HIDDEN_CHARACTER]
    with pytest.raises(ValidationError) as excinfo:
        make_person(cast.screener, aliases=[("Ann", "Qu\u2067ill")])
    assert errors_of(excinfo)["aliases"] == [HIDDEN_CHARACTER]


def test_a_name_keeps_letters_of_every_script(cast):
    person = make_person(cast.screener, first_name="Zoë-María", middle_name="Nguyễn", last_name="O'Brien אבי")
    assert person.full_name == "Zoë-María Nguyễn O'Brien אבי"


# --- API text lengths -----------------------------------------------------------------------------

# The password's length is the password validators' business (the form has no maximum either).
UNBOUNDED_ON_PURPOSE = {("POST /api/staff/", "password")}


def unbounded_request_texts() -> set[tuple[str, str]]:
    """(operation, field) of every free-text field a request body may carry without a maxLength."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = set()

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def walk(node: dict, operation: str) -> None:
        node = resolve(node)
        for part in node.get("allOf", []) + node.get("oneOf", []):
            walk(part, operation)
        if "items" in node:
            walk(node["items"], operation)
        for name, prop in node.get("properties", {}).items():
            prop = resolve(prop)
            if prop.get("readOnly"):
                continue
            free_text = prop.get("type") == "string" and not {"enum", "format", "maxLength"} & set(prop)
            if free_text:
                found.add((operation, name))
            walk(prop, operation)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walk(media["schema"], f"{method.upper()} {path}")
    return found


def test_every_api_text_field_has_a_maximum_length():
    assert unbounded_request_texts() - UNBOUNDED_ON_PURPOSE == set()


def test_the_report_texts_are_as_long_on_the_page_as_in_the_api():
    for field, limit in intake.REPORT_TEXT_LIMITS.items():
        assert ReportSectionForm.base_fields[field].max_length == limit
        assert cases_api_intake.IntakeReportSerializer().fields[field].max_length == limit


def test_an_api_text_field_is_as_long_as_the_pages(cast, api_for, screened_in):
    url = reverse("api_intake_report_amend", args=[screened_in.public_id])
    limit = AmendForm.base_fields["reason"].max_length
    body = {"field": "incident_address", "value": "12 Oak Lane", "reason": "x" * (limit + 1)}
    response = api_for(cast.supervisor).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == [f"Ensure this field has no more than {limit} characters."]
    body["reason"] = "x" * limit
    assert api_for(cast.supervisor).post(url, body, format="json").status_code == 200


def test_an_amendment_keeps_to_the_reports_text_limits(cast, screened_in):
    limit = intake.REPORT_TEXT_LIMITS["narrative"]
    with pytest.raises(ValidationError, match=f"At most {limit} characters"):
        intake.report_amend(
            actor=cast.screener, report=screened_in, field="narrative", value="x" * (limit + 1), reason="More detail"
        )


def test_the_people_search_is_capped_on_the_page_and_in_the_api(cast, client_for, api_for):
    wordy = " ".join("abcdefghijk")
    page = client_for(cast.screener).get(reverse("person_search"), {"name": wordy})
    assert "Search for at most 10 words." in page.content.decode()
    response = api_for(cast.screener).get(reverse("api_person_list"), {"name": "a" * 201})
    assert response.status_code == 400 and "name" in response.json()


def test_the_intake_people_search_is_capped(cast, client_for):
    report = make_report(cast.screener)
    page = reverse("intake_edit_section", args=[report.public_id, "people"])
    html = client_for(cast.screener).get(page, {"q": " ".join("abcdefghijk")}).content.decode()
    assert "Search for at most 10 words." in html
