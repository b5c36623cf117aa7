import pytest

from alongside.notifications import registry


def test_foundation_kinds_are_registered():
    assert registry.get_kind("programs.member_joined").label == "Someone joined your program"
    assert registry.is_registered("programs.invitation")
    assert registry.get_kind("account.security").mandatory_email


def test_unknown_kind_is_a_value_error():
    with pytest.raises(ValueError, match=r"no\.such"):
        registry.get_kind("no.such")


def test_registering_the_same_definition_again_is_harmless():
    definition = registry.get_kind("programs.invitation")
    again = registry.register_kind(
        definition.kind, label=definition.label, description=definition.description
    )
    assert again == definition


def test_registering_a_kind_differently_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        registry.register_kind("programs.invitation", label="Something else")


@pytest.mark.parametrize("kind", ["", "nodot", "a." + "x" * 60])
def test_kind_names_are_dotted_and_short(kind):
    with pytest.raises(ValueError):
        registry.register_kind(kind, label="Label")


def test_a_mandatory_email_must_be_emailed_by_default():
    with pytest.raises(ValueError, match="mandatory"):
        registry.register_kind("tests.odd", label="Odd", email_default=False, mandatory_email=True)
    assert not registry.is_registered("tests.odd")


def test_an_urgent_kind_must_be_emailed_whatever_the_person_chose():
    with pytest.raises(ValueError, match="mandatory"):
        registry.register_kind("tests.urgent", label="Urgent", urgent=True)
    assert not registry.is_registered("tests.urgent")
