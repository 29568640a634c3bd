import pytest
from django.core.exceptions import ValidationError

from jeonju_center.common.masking import mask_address, mask_birth_date, mask_name, mask_phone
from jeonju_center.common.validators import normalize_business_registration_number, normalize_phone

# Real, published registration numbers (their check digits are right).
VALID_NUMBERS = ["220-81-62517", "1248100998", "120 81 47521"]


@pytest.mark.parametrize("number", VALID_NUMBERS)
def test_valid_business_registration_numbers_are_normalised(number):
    formatted = normalize_business_registration_number(number)
    assert formatted.replace("-", "") == "".join(ch for ch in number if ch.isdigit())
    assert [len(part) for part in formatted.split("-")] == [3, 2, 5]


@pytest.mark.parametrize(
    "number",
    [
        "220-81-62518",  # wrong check digit
        "124-81-00999",  # wrong check digit
        "22081625",  # too short
        "220-81-6251A",  # not digits
        "000-81-62517",  # impossible office code
    ],
)
def test_invalid_business_registration_numbers_are_refused_in_korean(number):
    with pytest.raises(ValidationError) as excinfo:
        normalize_business_registration_number(number)
    assert "사업자등록번호" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("01012345678", "010-1234-5678"), ("010 1234 5678", "010-1234-5678"), ("063-281-1234", "063-281-1234"),
     ("02-123-4567", "02-123-4567")],
)  # fmt: skip
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["1234", "010-12-34", "phone", "099-1234-5678"])
def test_bad_phone_numbers_are_refused_in_korean(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert "전화번호" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("name", "masked"), [("김철용", "김*용"), ("이현", "이*"), ("남궁민수", "남**수"), ("", ""), ("박", "박")]
)
def test_names_are_masked_one_way(name, masked):
    assert mask_name(name) == masked


def test_phone_birth_date_and_address_masking():
    import datetime

    assert mask_phone("010-1234-5678") == "010-1234-****"
    assert mask_phone("01012345678") == "0101234****"
    assert mask_birth_date(datetime.date(1990, 5, 17)) == "1990-**-**"
    assert mask_address("전주시 완산구 풍남동3가 12-3") == "전주시 완산구 풍남동3가 ***"
