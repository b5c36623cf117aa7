"""`screen()`: the crisis rules and the classifier, combined into one assessment.

Policy. Missing a crisis is the worst error, so anything the rules find counts; but the person on
call must not be flooded, and a classifier trained on "suicidal vs anything else" tweets also
fires on the plain sadness of hard days in recovery. So the classifier is trusted as far as the
rules give it reason to be:

1. The rules decide first (see rules.py): explicit intent, a plan or means, a goodbye, imminent
   self-harm, an overdose happening, a threat to others or current abuse of the writer is URGENT;
   passive wishes to die, hopelessness and ambiguous phrases are CONCERN; hypotheticals,
   questions about others, quotations and past events without recovery framing are at most
   CONCERN; negations, idioms and the past told with recovery framing are nothing.
2. Classifier at or above URGENT_THRESHOLD together with a current rule finding (first person,
   present, not negated, reported or hypothetical) makes the text URGENT: "I want to die" is a
   concern, written with the despair the classifier recognises it is urgent.
3. Classifier at or above CONCERN_THRESHOLD makes an unflagged text a CONCERN (category suicide)
   when the text has crisis words the rules could not explain away ("kill me now", "it's killing
   me", "I can't do this anymore").
4. Without any crisis word, the classifier needs UNCORROBORATED_THRESHOLD, a point of higher
   precision (0.955 over the training folds; URGENT_THRESHOLD is 0.97), to raise a CONCERN:
   between that and CONCERN_THRESHOLD lie "I hate myself for relapsing", "everything hurts",
   "I'm so tired" -- the recovery-wording suite measures this (tests/cases/recovery.jsonl).
5. When the rules explained every crisis phrase away (negated, an idiom, past with recovery
   framing, a quotation of the past), the classifier is asked again about the text without those
   clauses, and that residue counts as in 4: "I do not want to kill myself, I just need someone
   to talk to" stays at NONE, a long post that says "I don't want to end it" among a page of
   despair does not. The overruled score is kept as a reason coded
   "suicidal_language:explained_by_rules".
6. The classifier is English only: it runs for English and for languages the rules do not know
   (treated as English), not for Spanish, where the rules alone decide.

Every reason says where it came from: "rules" with the words found, "classifier" with the score.
"""

from __future__ import annotations

from alongside.safety.screening import classifier, rules
from alongside.safety.screening.assessment import Assessment, Category, Level, Reason

RULE_LANGUAGES = frozenset({"en", "es"})
CLASSIFIER_LANGUAGES = frozenset({"en"})
CLASSIFIER_CODE = "suicidal_language"


def effective_language(language: str) -> str:
    """Return the primary language of a tag ("es-MX" -> "es"); unknown languages count as English."""
    primary = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in RULE_LANGUAGES else "en"


def combine(
    found: rules.RuleResult,
    probability: float | None,
    *,
    residual_probability: float | None = None,
    concern_threshold: float,
    uncorroborated_threshold: float,
    urgent_threshold: float,
) -> Assessment:
    """Combine a rule result and classifier scores by the module's policy.

    `probability` is the classifier's score of the text (None: not run); `residual_probability`
    its score of `found.residual_text` (None: not asked, or nothing left to ask about).
    """
    level = found.level
    categories = set(found.categories)
    reasons = [finding.reason() for finding in found.findings]
    if probability is not None and probability >= concern_threshold:
        evidence = f"probability {probability:.2f}"
        if found.explained:
            raises = (residual_probability or 0.0) >= uncorroborated_threshold
        elif found.findings or found.open_crisis_words:
            raises = True
        else:
            raises = probability >= uncorroborated_threshold
        before = level
        if probability >= urgent_threshold and found.current:
            level = Level.URGENT
        elif raises:
            level = max(level, Level.CONCERN)
        if level > before:
            categories.add(Category.SUICIDE)
        if raises or level > before:
            reasons.append(Reason("classifier", Category.SUICIDE, CLASSIFIER_CODE, evidence))
        elif found.explained:
            code = f"{CLASSIFIER_CODE}:explained_by_rules"
            reasons.append(Reason("classifier", Category.SUICIDE, code, evidence))
    if level == Level.NONE:
        categories.clear()
    ordered = tuple(category for category in Category if category in categories)
    return Assessment(level=level, categories=ordered, reasons=tuple(reasons))


def screen(text: str, language: str = "en") -> Assessment:
    """Return the crisis assessment of `text`, written in `language` (a language tag like "en")."""
    if not text or text.isspace():
        return Assessment(Level.NONE)
    found = rules.evaluate(text)
    if effective_language(language) not in CLASSIFIER_LANGUAGES:
        return combine(
            found, None, concern_threshold=1.0, uncorroborated_threshold=1.0, urgent_threshold=1.0
        )
    concern_threshold = classifier.CONCERN_THRESHOLD
    probability = classifier.suicidal_probability(text)
    residual_probability = None
    if found.explained and probability >= concern_threshold and _has_words(found.residual_text):
        residual_probability = classifier.suicidal_probability(found.residual_text)
    return combine(
        found,
        probability,
        residual_probability=residual_probability,
        concern_threshold=concern_threshold,
        uncorroborated_threshold=classifier.UNCORROBORATED_THRESHOLD,
        urgent_threshold=classifier.URGENT_THRESHOLD,
    )


def _has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)
