"""Crisis screening: the hand-written tricky cases, the recovery-wording suite, and how rules and
classifier are read and combined. Pure Python: no database."""

import json
import random
from pathlib import Path

import pytest

from alongside.safety.screening import Assessment, Category, Level, Reason, combine, rules, screen
from alongside.safety.screening.phrases import PhraseError, compile_phrase, normalise

CASES = Path(__file__).parent / "cases"
# The share of the recovery-wording suite that may be flagged as a concern. Every flag there is
# a supporter or moderator reading a post that needed no one; above 5 % the concern queue would
# be mostly noise on a recovery platform. Nothing there may ever be urgent.
RECOVERY_CONCERN_BOUND = 0.05
# Thresholds for the combination tests, not the model's.
CONCERN_AT, UNCORROBORATED_AT, URGENT_AT = 0.2, 0.6, 0.8


def read_cases(name: str) -> list[dict]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


TRICKY = read_cases("tricky.jsonl")
RECOVERY = read_cases("recovery.jsonl")


def case_id(case: dict) -> str:
    return f"{case['language']}:{case['text'][:50]}"


@pytest.mark.parametrize("case", TRICKY, ids=case_id)
def test_tricky_case_gets_its_expected_level_and_categories(case):
    assessment = screen(case["text"], case["language"])
    expected = case["level"] if isinstance(case["level"], list) else [case["level"]]
    assert assessment.level in expected, assessment.as_dict()
    assert set(case.get("categories", [])) <= set(assessment.categories), assessment.as_dict()


def test_tricky_cases_cover_every_kind_category_and_both_languages():
    kinds = {case["kind"] for case in TRICKY}
    assert {"negation", "idiom", "past", "quote", "hypothetical", "normalisation"} <= kinds
    assert {category.value for category in Category} <= {
        category for case in TRICKY for category in case.get("categories", [])
    }
    assert {"none", "concern", "urgent"} <= {
        case["level"] for case in TRICKY if isinstance(case["level"], str)
    }
    assert len(TRICKY) >= 120
    assert sum(case["language"] == "es" for case in TRICKY) >= 30


@pytest.mark.parametrize("case", RECOVERY, ids=case_id)
def test_recovery_wording_is_never_urgent(case):
    assert screen(case["text"], case["language"]).level != Level.URGENT


def test_recovery_wording_concern_rate_stays_under_bound():
    flagged = [case["text"] for case in RECOVERY if screen(case["text"], case["language"]).flagged]
    rate = len(flagged) / len(RECOVERY)
    print(
        f"recovery wording flagged: {len(flagged)}/{len(RECOVERY)} = {rate:.1%} (bound {RECOVERY_CONCERN_BOUND:.0%})"
    )
    assert len(RECOVERY) >= 150
    assert rate <= RECOVERY_CONCERN_BOUND, flagged


def test_recovery_wording_is_not_flagged_by_the_rules_of_the_other_language():
    for case in RECOVERY:
        for finding in rules.evaluate(case["text"]).findings:
            if finding.level != Level.NONE:
                assert finding.where.startswith(("suicide-risk-lexicon", case["language"])), (
                    case,
                    finding,
                )


# --- levels, reasons, assessments ------------------------------------------------------------


def test_levels_compare_by_severity_not_alphabetically():
    assert Level.NONE < Level.CONCERN < Level.URGENT
    assert max(Level.CONCERN, Level.NONE) == Level.CONCERN
    assert Level.URGENT >= "concern"
    assert not Level.CONCERN > "urgent"
    assert sorted([Level.URGENT, Level.NONE, Level.CONCERN]) == [
        Level.NONE,
        Level.CONCERN,
        Level.URGENT,
    ]


def test_assessment_is_flagged_unless_its_level_is_none():
    assert not Assessment(Level.NONE).flagged
    assert Assessment(Level.CONCERN, (Category.SUICIDE,)).flagged
    assert Assessment(Level.URGENT, (Category.ABUSE,)).flagged


def test_assessment_as_dict_is_plain_json():
    assessment = screen("My husband hits me. I want to die.")
    data = json.loads(json.dumps(assessment.as_dict()))
    assert data["level"] == "urgent"
    assert data["categories"] == ["suicide", "abuse"]
    assert {"source", "category", "code", "evidence"} == set(data["reasons"][0])


def test_every_reason_says_where_it_came_from():
    texts = [case["text"] for case in TRICKY] + [case["text"] for case in RECOVERY]
    for text in texts:
        for reason in screen(text).reasons:
            assert reason.source in ("rules", "classifier")
            assert reason.code and reason.evidence


def test_blank_text_is_not_screened():
    assert screen("   \n ") == Assessment(Level.NONE)
    assert screen("") == Assessment(Level.NONE)


# --- normalisation and the phrase language ----------------------------------------------------


def test_normalisation_folds_case_accents_apostrophes_and_repeated_letters():
    assert normalise("Ya NO quiero vivír… I DON\u2019T wanna DIEEEE!!").tokens == [
        "ya", "no", "quiero", "vivir", ".", "i", "dont", "wana", "die", "!", "!",
    ]  # fmt: skip


def test_a_laughing_emoji_reads_as_laughter_and_keeps_its_place_for_quoting():
    norm = normalise("I'm dead \U0001f602 honestly")
    assert norm.tokens == ["im", "dead", "lol", "honestly"]
    assert norm.quote(1, 2) == "dead \U0001f602"
    # the skull and the crying face are also meant literally: they stay out
    assert normalise("I want to die \U0001f480\U0001f62d").tokens == ["i", "want", "to", "die"]


def test_evidence_quotes_the_member_s_own_words():
    assessment = screen("Honestly?? I reaaally wanna DIEEE right now")
    assert (
        Reason("rules", Category.SUICIDE, "imminent", "wanna DIEEE right now") in assessment.reasons
    )


def test_quoting_from_the_full_stop_before_finds_the_same_words_as_from_the_start():
    # The quote is found by reading on from the nearest "." token; "\u2026" and line breaks fold to
    # "." too, and a text far from any full stop falls back to every token's place.
    text = (
        'First line\u2026 then I can\'t, "go on". Really!\nA new line. 3.5 pills; '
        + "word " * 250
        + "end. Last words here"
    )
    everything = normalise(text).spans
    count = len(everything)
    for first in range(count):
        for last in (first, min(first + 3, count - 1), count - 1):
            # A new reading each time: one that has found every token's place keeps using them.
            quoted = normalise(text).quote(first, last)
            assert quoted == text[everything[first][0] : everything[last][1]]


def test_span_questions_answer_as_looking_at_every_span():
    # The context asks its marker spans by bisection; the answers must be those of a full scan.
    chance = random.Random(3)
    for _ in range(200):
        spans = [(first, first + chance.randint(0, 4)) for first in chance.sample(range(60), 12)]
        index = rules._Spans(spans)
        for _ in range(20):
            a, b, c, d = sorted(chance.randint(-2, 66) for _ in range(4))
            first_from, first_to = sorted((a, c))
            last_from, last_to = sorted((b, d))
            expected = any(
                first_from <= first <= first_to and last_from <= last <= last_to
                for first, last in spans
            )
            assert index.any(first_from, first_to, last_from, last_to) == expected
            assert index.overlaps(a, b) == any(first <= b and a <= last for first, last in spans)
            assert index.inside(a, c) == any(a <= first and last <= c for first, last in spans)
            assert index.within(a, c) == sorted(
                (first, last) for first, last in set(spans) if a <= first and last <= c
            )
    assert not rules._Spans([]).any(0, 100)


def test_a_word_written_with_an_apostrophe_also_matches_its_split_form():
    phrase = compile_phrase("don't want to die", {})
    assert phrase.regex.search(normalise("i don t want to die").text)
    assert phrase.regex.search(normalise("I dont want to die").text)


def test_a_phrase_without_a_trigger_word_is_refused():
    with pytest.raises(PhraseError):
        compile_phrase("_ ... (a)?", {})


def test_a_malformed_lexicon_line_is_reported_with_its_file_and_line(tmp_path):
    lexicon = tmp_path / "broken.txt"
    lexicon.write_text("[suicide concern test]\nwant to die\n(unclosed group\n", encoding="utf-8")
    with pytest.raises(PhraseError, match=r"broken\.txt:3"):
        rules.Lexicon([lexicon])


# --- reading phrases in context ---------------------------------------------------------------


def mitigations(text: str) -> list[str | None]:
    return [finding.mitigation for finding in rules.evaluate(text).findings]


def test_negated_wish_to_die_is_not_flagged():
    found = rules.evaluate("I really don't want to die")
    assert found.level == Level.NONE
    assert mitigations("I really don't want to die") == ["negated"]
    assert found.explained


def test_negation_reaches_back_only_over_filler_words():
    assert rules.evaluate("I don't know, I just want to die").level == Level.CONCERN
    assert rules.evaluate("I don't know why I still want to die").level == Level.CONCERN
    assert rules.evaluate("no i want to die").level == Level.CONCERN


def test_why_not_and_until_undo_a_negation():
    assert rules.evaluate("why not just kill myself right now").level == Level.URGENT
    assert rules.evaluate("I never had thoughts of suicide until tonight").level == Level.CONCERN


def test_an_idiom_overlapping_a_phrase_cancels_it():
    assert mitigations("I overdosed on chocolate") == ["idiom"]
    assert rules.evaluate("I overdosed on fentanyl").level == Level.URGENT


def test_past_with_recovery_framing_is_not_flagged_and_without_it_is_a_concern():
    assert mitigations("I tried to kill myself years ago. Now I'm 3 years sober.") == [
        "past_recovered"
    ]
    found = rules.evaluate("I tried to kill myself years ago.")
    assert found.level == Level.CONCERN
    assert mitigations("I tried to kill myself years ago.") == ["past"]


def test_a_mentioned_relapse_keeps_a_past_verb_current():
    assert (
        rules.evaluate("I overdosed. I was clean for 2 years but I relapsed").level == Level.URGENT
    )
    assert rules.evaluate("I overdosed, but I'm 2 years clean now").level == Level.NONE


def test_recent_markers_keep_a_phrase_current_despite_a_past_marker():
    assert (
        rules.evaluate("I used to cut myself and I cut myself again last night").level
        == Level.CONCERN
    )
    assert (
        rules.evaluate("Years ago I tried to kill myself and I still want to die").level
        >= Level.CONCERN
    )


def test_reported_present_speech_is_a_concern_and_reported_past_speech_nothing():
    assert mitigations("My friend texted me 'I want to kill myself'") == ["reported"]
    assert rules.evaluate("My friend texted me 'I want to kill myself'").level == Level.CONCERN
    assert mitigations("My sponsor said 'I wanted to die'") == ["reported_past"]
    assert rules.evaluate("I told my sponsor I want to kill myself").level == Level.URGENT


def test_hypotheticals_are_at_most_a_concern():
    assert mitigations("If I relapse I'll kill myself") == ["hypothetical"]
    assert rules.evaluate("I don't know if I should kill myself").level == Level.URGENT
    assert rules.evaluate("If I'm honest I want to kill myself").level == Level.URGENT


def test_an_escalating_detail_needs_a_current_phrase_of_its_category():
    assert rules.evaluate("I have a plan for the weekend").level == Level.NONE
    found = rules.evaluate("I want to die and I have a plan")
    assert found.level == Level.URGENT
    assert [finding.code for finding in found.findings] == ["wish_to_die", "plan_detail"]


def test_hyperbole_is_left_to_the_classifier():
    found = rules.evaluate("this show is so bad I want to die lol")
    assert found.level == Level.NONE
    assert found.open_crisis_words
    assert mitigations("this show is so bad I want to die lol") == ["hyperbole"]
    assert rules.evaluate("my cravings make me want to die").level == Level.CONCERN
    assert rules.evaluate("I'm going to kill him lol").level == Level.URGENT


def test_laughter_just_before_a_phrase_in_its_clause_is_hyperbole_too():
    assert mitigations("hahaha i want to die") == ["hyperbole"]
    assert mitigations("that was funny lol. I want to die") == [None]


def test_a_trivial_cause_explains_a_phrase_and_leaves_the_rest_to_the_classifier():
    found = rules.evaluate("This homework makes me want to die. I have been up all night")
    assert found.explained
    assert mitigations("This homework makes me want to die") == ["idiom"]
    assert found.residual_text == "I have been up all night"
    assert rules.evaluate("My family makes me want to die").level == Level.CONCERN


def test_a_plan_or_means_detail_undoes_a_trivial_cause_or_laughter():
    for text in (
        "This homework makes me want to die and I have the pills ready",
        "I want to die lol, I have the pills ready",
    ):
        found = rules.evaluate(text)
        assert found.level == Level.URGENT, text
        assert [finding.code for finding in found.findings] == ["wish_to_die", "plan_detail"]
    # the detail alone, without a wish to die, is not a crisis
    assert rules.evaluate("I have the pills ready for the morning").level == Level.NONE


def test_a_weaker_phrase_inside_a_stronger_one_gives_no_second_reason():
    found = rules.evaluate("Someone at school told me to kill myself")
    assert [(finding.category, finding.code) for finding in found.findings] == [
        (Category.ABUSE, "abuse")
    ]


# --- combining rules and classifier (probabilities given, thresholds 0.2, 0.6 and 0.8) ---------


def combined(text: str, probability: float | None, residual: float | None = None) -> Assessment:
    return combine.combine(
        rules.evaluate(text),
        probability,
        residual_probability=residual,
        concern_threshold=CONCERN_AT,
        uncorroborated_threshold=UNCORROBORATED_AT,
        urgent_threshold=URGENT_AT,
    )


def test_a_confident_classifier_makes_a_current_concern_urgent():
    assert combined("I want to die", 0.79).level == Level.CONCERN
    urgent = combined("I want to die", 0.8)
    assert urgent.level == Level.URGENT
    assert [reason.source for reason in urgent.reasons] == ["rules", "classifier"]


def test_the_classifier_never_makes_a_hypothetical_or_reported_phrase_urgent():
    assert combined("If I relapse I'll kill myself", 0.99).level == Level.CONCERN
    assert combined("My friend texted me 'I want to die'", 0.99).level == Level.CONCERN


def test_without_crisis_words_the_classifier_needs_its_uncorroborated_threshold_for_a_concern():
    assert combined("Everything is heavy and I'm so tired", 0.59) == Assessment(Level.NONE)
    concern = combined("Everything is heavy and I'm so tired", 0.6)
    assert concern.level == Level.CONCERN
    assert concern.categories == (Category.SUICIDE,)
    assert concern.reasons[0].source == "classifier"
    # Without a current rule finding, not even a confident classifier makes it urgent.
    assert combined("Everything is heavy and I'm so tired", 0.99).level == Level.CONCERN


def test_with_unexplained_crisis_words_the_concern_threshold_is_enough():
    assert combined("please just kill me", 0.19).level == Level.NONE
    assert combined("please just kill me", 0.2).level == Level.CONCERN


def test_rules_explaining_every_crisis_phrase_overrule_the_classifier_unless_the_rest_alarms():
    calm = combined("I do not want to kill myself, I just need to talk", 0.99, residual=0.59)
    assert calm.level == Level.NONE
    assert calm.reasons[-1].code == "suicidal_language:explained_by_rules"
    assert (
        combined("I don't want to end it. Nobody would notice", 0.99, residual=0.6).level
        == Level.CONCERN
    )


def test_the_residue_of_an_explained_text_leaves_out_its_explained_clauses():
    found = rules.evaluate("I don't want to die, I swear. But everything hurts and I'm alone.")
    assert found.explained
    assert found.residual_text == "But everything hurts and I'm alone."


def test_the_classifier_only_adds_to_what_the_rules_found():
    assessment = combined("My husband hits me", 0.5)
    assert assessment.level == Level.URGENT
    assert assessment.categories == (Category.ABUSE,)


def test_language_tags_are_read_by_their_primary_language():
    assert combine.effective_language("es-MX") == "es"
    assert combine.effective_language("EN_gb") == "en"
    assert combine.effective_language("fr") == "en"
    assert combine.effective_language("") == "en"


def test_spanish_text_is_screened_by_the_rules_alone(monkeypatch):
    def refuse(text):
        raise AssertionError("the classifier is English only")

    monkeypatch.setattr(combine.classifier, "suicidal_probability", refuse)
    assert screen("Quiero morirme", "es-MX").level == Level.CONCERN
    with pytest.raises(AssertionError):
        screen("Quiero morirme", "fr")
