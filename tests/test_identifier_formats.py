"""Issue 9.6: passport and alien registration numbers are checked by format per document type
(``settings.PASSPORT_NUMBER_FORMATS`` by nationality, ``ALIEN_REGISTRATION_NUMBER_FORMAT``;
sources in docs/rules.md) with an error naming the field, through the API and the form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from investments import services
from investments.models import Investor, Person

API = "/api/v1"
CHINESE = {
    "full_name": "Li Wei",
    "nationality": "CN",
    "date_of_birth": "1975-04-12",
    "passport_number": "E12345678",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def register(api, company, **changes):
    api.as_user(company)
    return api.post(f"{API}/investors/", {**CHINESE, **changes}, format="json")


@pytest.mark.parametrize(
    "nationality, number",
    [
        ("CN", "E12345678"),
        ("CN", "ea 123-4567"),  # spaces, dashes and case are normalised first
        ("KR", "M123A4567"),  # the 2021 Korean passport
        ("KR", "M12345678"),
        ("JP", "TZ1234567"),
        ("DE", "C01X00T47"),  # no entry of its own: the ICAO nine-character field
    ],
)
def test_a_passport_number_of_its_country_shape_is_accepted(api, company, nationality, number):
    response = register(api, company, nationality=nationality, passport_number=number)
    assert response.status_code == 201, response.data


@pytest.mark.parametrize(
    "nationality, number, example",
    [
        ("CN", "EB1", "E12345678"),
        ("CN", "E123456789", "E12345678"),
        ("KR", "M1234567", "M123A4567"),
        ("JP", "T12345678", "TZ1234567"),
        ("DE", "C01X00T47123", "A1234567"),
        ("DE", "C01X-00T4?", "A1234567"),
    ],
)
def test_a_passport_number_of_another_shape_is_a_400_naming_the_field(
    api, company, nationality, number, example
):
    response = register(api, company, nationality=nationality, passport_number=number)
    assert response.status_code == 400
    assert example in str(response.data["passport_number"])
    assert not Investor.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize("number", ["750412-5123456", "0402297123456", "991231-6000000"])
def test_an_alien_registration_number_with_a_real_birth_date_is_accepted(api, company, number):
    response = register(api, company, alien_registration_number=number)
    assert response.status_code == 201, response.data


@pytest.mark.parametrize(
    "number",
    [
        "750412-512345",  # twelve digits
        "750412-1123456",  # 1: a Korean resident registration number, not a foreigner's
        "751332-5123456",  # no 32nd day
        "010229-7123456",  # 2001 was not a leap year
        "75O412-5123456",  # a letter O
    ],
)
def test_an_alien_registration_number_of_another_shape_is_a_400(api, company, number):
    response = register(api, company, alien_registration_number=number)
    assert response.status_code == 400
    assert "750412-5123456" in str(response.data["alien_registration_number"])
    assert not Investor.objects.exists()


def test_a_correction_to_a_malformed_passport_is_refused(company, jeju_ledger):
    investor = jeju_ledger.investor
    with pytest.raises(ValidationError) as caught:
        services.correct_investor(
            by=company, investor=investor, reason="Typo", passport_number="E1"
        )
    assert "passport_number" in caught.value.message_dict
    investor.refresh_from_db()
    assert investor.passport_number == jeju_ledger.investor.passport_number


def test_the_form_shows_the_format_error_under_the_field(client, company):
    client.force_login(company)
    response = client.post(
        reverse("investor-new"),
        {
            "kind": "person",
            "full_name": "Li Wei",
            "nationality": "CN",
            "date_of_birth": "1975-04-12",
            "passport_number": "E12345678",
            "alien_registration_number": "751332-5123456",
        },
    )
    assert response.status_code == 400
    assert "alien_registration_number" in response.context["form"].errors
    assert "750412-5123456" in response.content.decode()
    assert not Investor.objects.exists()
