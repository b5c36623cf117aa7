"""From rows to the pure core: time zones, and reason sentences in the viewer's language."""

from datetime import UTC, datetime

import pytest

from alongside.accounts.models import Profile
from alongside.pairing import profiles
from alongside.pairing.scoring import (
    SENTENCES,
    MemberProfile,
    SupporterIndex,
    SupporterProfile,
    Weights,
    overlap_hours,
    score,
)
from alongside.testing import make_request, make_supporter_profile


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


# --- Free times across daylight saving ---------------------------------------------------------

NEW_YORK, LONDON = "America/New_York", "Europe/London"
PHOENIX, DENVER = "America/Phoenix", "America/Denver"
MONDAY = 0
# New York moves its clocks on 8 March 2026 and back on 1 November; London on 29 March and back
# on 25 October.
WINTER = datetime(2026, 1, 12, 12, tzinfo=UTC)
ONLY_NEW_YORK_ON_SUMMER_TIME = datetime(2026, 3, 16, 12, tzinfo=UTC)
ONLY_LONDON_BACK_ON_WINTER_TIME = datetime(2026, 10, 27, 12, tzinfo=UTC)


def _hours(day: int, *hours: int) -> list[int]:
    return [day * 24 + hour for hour in hours]


def _pair(member_zone, member_hours, supporter_zone, supporter_hours, start):
    instants = profiles.reference_instants([member_zone, supporter_zone], start)
    availability, seasons = profiles.free_hours(member_hours, member_zone, instants)
    member = MemberProfile(
        id=1, program_id=1, languages=frozenset({"en"}), availability=availability, seasons=seasons
    )
    availability, seasons = profiles.free_hours(supporter_hours, supporter_zone, instants)
    supporter = SupporterProfile(
        id=2, program_id=1, languages=frozenset({"en"}), availability=availability, seasons=seasons
    )
    return member, supporter


def _availability_sentence(member, supporter) -> str:
    result = score(member, supporter, Weights())
    (sentence,) = [r.sentence for r in result.reasons if r.factor == "availability"]
    total = SupporterIndex([supporter]).totals([member], Weights())[0, 0]
    assert total == result.total
    return sentence


def test_new_york_and_london_go_through_three_combinations_of_clocks_a_year():
    instants = profiles.reference_instants([NEW_YORK, LONDON], WINTER)

    offsets = [
        (profiles.utc_offset_hours(NEW_YORK, at), profiles.utc_offset_hours(LONDON, at))
        for at in instants
    ]
    # The autumn week (London back on winter time, New York not yet) has the offsets of the
    # spring weeks, so it is the same reference week.
    assert offsets == [(-5.0, 0.0), (-4.0, 0.0), (-4.0, 1.0)]
    assert instants[0] == WINTER
    # Sampled daily at the time of `start`: the first noon after each change.
    assert instants[1:] == [
        datetime(2026, 3, 8, 12, tzinfo=UTC),
        datetime(2026, 3, 29, 12, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    "start", [WINTER, ONLY_NEW_YORK_ON_SUMMER_TIME, ONLY_LONDON_BACK_ON_WINTER_TIME]
)
def test_new_york_and_london_overlap_by_what_holds_in_every_week_of_the_year(start):
    # Monday 13-16 in New York and 18-21 in London meet all three hours while both are on the same
    # kind of time, but only two in the weeks when just one of them has changed its clocks.
    member, supporter = _pair(
        NEW_YORK, _hours(MONDAY, 13, 14, 15), LONDON, _hours(MONDAY, 18, 19, 20), start
    )

    assert overlap_hours(member, supporter) == 2
    assert _availability_sentence(member, supporter) == "Your free times overlap 2 h a week"


def test_the_week_matched_in_is_one_of_the_weeks_compared():
    member, supporter = _pair(
        NEW_YORK, _hours(MONDAY, 13, 14, 15), LONDON, _hours(MONDAY, 18, 19, 20),
        ONLY_LONDON_BACK_ON_WINTER_TIME,
    )  # fmt: skip

    # This week only two hours meet (New York is still on summer time, London is not).
    assert len(member.availability & supporter.availability) == 2


def test_phoenix_never_changes_its_clocks_and_denver_does():
    member, supporter = _pair(
        PHOENIX, _hours(MONDAY, 18, 19, 20), DENVER, _hours(MONDAY, 18, 19, 20), WINTER
    )

    assert member.seasons == ()
    assert supporter.seasons != ()
    # Same hours in winter; Denver's evening starts an hour earlier in UTC in summer.
    assert len(member.availability & supporter.availability) == 3
    assert overlap_hours(member, supporter) == 2
    assert _availability_sentence(member, supporter) == "Your free times overlap 2 h a week"


def test_people_in_one_zone_keep_their_whole_overlap_across_the_change():
    member, supporter = _pair(
        NEW_YORK, _hours(MONDAY, 18, 19, 20), NEW_YORK, _hours(MONDAY, 18, 19, 20), WINTER
    )

    assert overlap_hours(member, supporter) == 3


def test_a_hard_to_tell_zone_counts_as_utc_all_year():
    instants = profiles.reference_instants(["Not/AZone", PHOENIX], WINTER)

    assert instants == [WINTER]
    assert profiles.free_hours([5], "Not/AZone", instants) == (frozenset({5}), ())


def test_instant_match_promises_the_overlap_of_the_worst_week(
    program, member, supporter, coordinator
):
    make_supporter_profile(supporter, program, coordinator, availability=_hours(MONDAY, 18, 19, 20))
    request = make_request(member, program, availability=_hours(MONDAY, 13, 14, 15))
    Profile.objects.filter(user=supporter).update(time_zone=LONDON)  # the member is in New York

    (match,) = profiles.instant_matches(program, request)

    assert "Your free times overlap 2 h a week" in [r.sentence for r in match.reasons]
