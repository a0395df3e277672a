"""The published contract is exact (issue 9.9): the OpenAPI schema needs a sign-in, declares
the error answers of every operation, writes a month as "YYYY-MM" and marks what can be null
as nullable; an address under the API that matches no route answers JSON, as declared.

The live check — schemathesis calling every operation as every role and validating each
answer against this schema — is ``.ci/api_contract.py``, run by ``.ci/run``.
"""

import pytest

SCHEMA = "/api/v1/schema/"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(api, hq):
    response = api.as_user(hq).get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


@pytest.mark.parametrize("url", [SCHEMA, "/api/v1/docs/"])
def test_the_schema_and_its_docs_need_a_sign_in(client, url):
    response = client.get(url)
    assert response.status_code in (401, 403)
    assert b"openapi" not in response.content


def test_the_docs_open_for_a_signed_in_user(client, company):
    client.force_login(company)
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.get(SCHEMA).status_code == 200


def test_every_operation_declares_the_error_answers(schema):
    missing = [
        (method.upper(), path, code)
        for path, method, operation in operations(schema)
        for code in ("400", "401", "403", "404", "429")
        if code not in operation["responses"]
    ]
    assert missing == []


def test_corrections_declare_the_precondition_answers(schema):
    corrections = [
        operation
        for _path, _method, operation in operations(schema)
        if any(p.get("name") == "If-Match" for p in operation.get("parameters", []))
    ]
    assert corrections
    for operation in corrections:
        assert {"412", "428"} <= set(operation["responses"])


def test_errors_have_the_shape_clients_read(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    investors = schema["paths"]["/api/v1/investors/{id}/"]["get"]["responses"]
    assert investors["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


@pytest.mark.parametrize("component", ["Obligation", "MonthlyNotice"])
def test_a_period_is_a_month_string(schema, component):
    period = schema["components"]["schemas"][component]["properties"]["period"]
    assert period["type"] == "string"
    assert "format" not in period
    assert period["pattern"] == "^([1-9][0-9]{3})-(0[1-9]|1[0-2])$"


def test_the_notice_filter_takes_a_month(schema):
    parameters = schema["paths"]["/api/v1/monthly-notices/"]["get"]["parameters"]
    period = next(p for p in parameters if p["name"] == "period")
    assert period["schema"]["pattern"] == "^([1-9][0-9]{3})-(0[1-9]|1[0-2])$"


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Obligation", "period"),  # a withdrawal report has no month
        ("Recovery", "obligation"),  # a recovery by a permanent resident opens none
        ("Office", "parent"),  # a head office has no parent
    ],
)
def test_what_can_be_null_is_nullable(schema, component, field):
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_the_answers_match_those_declarations(api, hq, jeju_ledger):
    api.as_user(hq)
    obligation = api.get("/api/v1/obligations/").json()["results"][0]
    assert obligation["period"] is None  # the withdrawal report's, declared nullable
    offices = api.get("/api/v1/offices/", {"page_size": 500}).json()["results"]
    assert any(office["parent"] is None for office in offices)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/investors/0.5/",
        "/api/v1/investors/null,null/eligibility/",
        "/api/v1/no-such-thing/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_address_no_route_matches_answers_json(api, company, path, method):
    response = getattr(api.as_user(company), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
