"""From rows to the pure core: time zones, and reason sentences in the viewer's language."""

from alongside.pairing import profiles
from alongside.pairing.scoring import SENTENCES, MemberProfile, SupporterProfile, Weights, score


def test_the_translatable_reason_sentences_are_the_cores_sentences():
    assert profiles.REASON_SENTENCES == SENTENCES


def test_hours_move_to_utc_by_the_zones_offset_and_wrap_around_the_week():
    # Monday 01:00 in New York in winter (UTC-5) is Monday 06:00 UTC; Monday 00:00 in Tokyo
    # (UTC+9) is Sunday 15:00 UTC.
    assert profiles.hours_in_utc([1], -5.0) == {6}
    assert profiles.hours_in_utc([0], 9.0) == {167 - 8}


def test_an_unknown_time_zone_counts_as_utc():
    assert profiles.utc_offset_hours("Not/AZone") == 0.0


def test_reasons_name_things_in_the_viewers_words():
    member = MemberProfile(
        id=1, program_id=1, languages=frozenset({"es"}), modalities=frozenset({"in_person"})
    )
    supporter = SupporterProfile(
        id=2, program_id=1, languages=frozenset({"es", "en"}), modalities=frozenset({"in_person"})
    )
    result = score(member, supporter, Weights())

    english = profiles.explain(member, supporter, result, area_names={})
    assert english[0].sentence == "You both speak Spanish"
    assert "You both can meet by in person" in [r.sentence for r in english]
    assert [r.contribution for r in english] == [r.contribution for r in result.reasons]
