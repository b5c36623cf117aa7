"""Does a supporter's message read like clinical advice: medication doses, stopping medication,
diagnoses? Pure rules, English and Spanish.

It only prompts the writer to think again (see forms.ConfirmClinicalAdviceMixin), so it leans
towards asking: a false alarm costs a click, a dose passed on as peer wisdom can cost far more.
What it must not do is nag people for talking about their own care ("my doctor changed my dose",
"I have bipolar"): the rules look for advice aimed at the reader, not experience.
"""

from __future__ import annotations

import re
import unicodedata

DOSING = "dosing"
STOPPING_MEDICATION = "stopping_medication"
DIAGNOSIS = "diagnosis"

# Medicines people in recovery and rehab programs are most often prescribed, by brand and generic
# name; the general words catch the rest.
_MEDICINES = (
    r"xanax|valium|klonopin|ativan|benzos?|alprazolam|diazepam|clonazepam|lorazepam|"
    r"suboxone|subutex|buprenorphine|methadone|naltrexone|vivitrol|antabuse|disulfiram|"
    r"campral|acamprosate|chantix|varenicline|zoloft|sertraline|prozac|fluoxetine|lexapro|"
    r"escitalopram|celexa|citalopram|paxil|paroxetine|effexor|venlafaxine|cymbalta|duloxetine|"
    r"wellbutrin|bupropion|trazodone|mirtazapine|seroquel|quetiapine|abilify|aripiprazole|"
    r"risperdal|risperidone|zyprexa|olanzapine|lithium|lamictal|lamotrigine|depakote|"
    r"adderall|ritalin|gabapentin|neurontin|lyrica|pregabalin|ambien|zolpidem|oxycodone|"
    r"oxy|percocet|vicodin|hydrocodone|tramadol|morphine|fentanyl|insulin|warfarin|"
    r"coumadin|metoprolol|lisinopril|atorvastatin|lipitor|nitroglycerin|ibuprofen|tylenol|"
    r"paracetamol|aspirin"
)
_MEDICINE_WORDS_EN = (
    rf"(?:{_MEDICINES}|meds|medications?|medicines?|pills?|tablets?|capsules?|caps|"
    r"prescriptions?|antidepressants?|anti-?depressants?|antipsychotics?|dose|doses|dosage)"
)
_MEDICINE_WORDS_ES = (
    rf"(?:{_MEDICINES}|medicamentos?|medicinas?|medicacion|medicaciones|pastillas?|"
    r"pildoras?|tabletas?|capsulas?|antidepresivos?|dosis|receta)"
)

_CONDITIONS_EN = (
    r"bipolar(?: disorder)?|c-?ptsd|ptsd|post-?traumatic stress(?: disorder)?|"
    r"(?:clinical |major |manic )?depression|(?:an? )?anxiety disorder|generali[sz]ed anxiety|"
    r"ocd|adhd|add|autism|asperger'?s?|(?:a )?borderline(?: personality disorder)?|bpd|"
    r"schizophreni[ac]|schizoaffective|psychosis|psychotic|(?:an? )?personality disorder|"
    r"(?:an? )?eating disorder|anorexia|bulimia|narcissis(?:m|tic)|"
    r"(?:an? )?(?:\w+ )?disorder|heart failure|(?:an? )?arrhythmia|(?:a )?heart condition"
)
_CONDITIONS_ES = (
    r"(?:trastorno )?bipolar|tept|estres postraumatico|(?:una )?depresion(?: clinica| mayor)?|"
    r"(?:un )?trastorno(?: de| del| de la)? \w+|toc|tdah|autismo|(?:un )?limite|"
    r"esquizofrenia|psicosis|anorexia|bulimia|ansiedad generalizada|insuficiencia cardiaca"
)

# Where a sentence or clause starts, or a softener before an imperative ("just", "maybe").
_CLAUSE = r"(?:^|[.!?;:,\n]\s*|\b(?:just|maybe|then|so|and|but|please|honestly)\s+)"
_CLAUSE_ES = r"(?:^|[.!?;:,\n¡¿]\s*|\b(?:solo|mejor|pues|y|pero|porfa|por favor)\s+)"
# "you should", "you could try to", "you need to" ... : advice aimed at the reader.
_YOU_SHOULD = (
    r"\byou(?:'d| would| should| could| can| need to| have to| ought to| might want to| must|"
    r" gotta| better)?(?: really| just| probably| definitely)?(?: try(?: to)?)?\s+"
)
_YOU_SHOULD_ES = r"\b(?:deberias|tienes que|puedes|podrias|necesitas|intenta|prueba a)\s+"
_NUMBER_EN = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|a couple|a few|half|another|an extra|extra)"
)
_NUMBER_ES = r"(?:\d+(?:[.,]\d+)?|una|uno|dos|tres|cuatro|cinco|media|otra|otras)"

_EN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "take 2 of your xanax", "try two of those pills", "pop another benzo"
    (
        DOSING,
        re.compile(
            rf"(?:{_CLAUSE}|{_YOU_SHOULD})(?:take|try|have|pop|use|add|swallow)\s+{_NUMBER_EN}\s+"
            rf"(?:of\s+)?(?:your\s+|the\s+|those\s+|these\s+|my\s+)?(?:\w+\s+)?{_MEDICINE_WORDS_EN}\b"
        ),
    ),
    # "double your dose", "up your meds", "you could cut your suboxone in half"
    (
        DOSING,
        re.compile(
            rf"\b(?:double|triple|halve|up|increase|raise|bump up|lower|decrease|reduce|cut|"
            rf"split|change|adjust)\s+(?:up\s+)?your\s+(?:\w+\s+)?{_MEDICINE_WORDS_EN}\b"
        ),
    ),
    # "take more of your meds", "take less lithium"
    (
        DOSING,
        re.compile(
            rf"(?:{_CLAUSE}|{_YOU_SHOULD})take\s+(?:more|less|fewer|extra)\s+(?:of\s+)?"
            rf"(?:your\s+|the\s+)?(?:\w+\s+)?{_MEDICINE_WORDS_EN}\b"
        ),
    ),
    # "stop taking your meds", "you should come off the lexapro", "just quit the pills"
    (
        STOPPING_MEDICATION,
        re.compile(
            rf"(?:{_CLAUSE}|{_YOU_SHOULD})(?:stop|quit|come off|get off|go off|skip|ditch|drop|"
            rf"taper off|wean off|throw away|flush)\s+(?:of\s+)?(?:taking\s+|using\s+)?"
            rf"(?:your\s+|the\s+|those\s+|these\s+|all\s+(?:your\s+|the\s+)?)?(?:\w+\s+)?"
            rf"{_MEDICINE_WORDS_EN}\b"
        ),
    ),
    # "you don't need your meds", "you don't need those pills anymore"
    (
        STOPPING_MEDICATION,
        re.compile(
            rf"\byou (?:do not|don't|dont) (?:really )?need\s+(?:to take\s+)?"
            rf"(?:your\s+|the\s+|those\s+|these\s+|any\s+)(?:\w+\s+)?{_MEDICINE_WORDS_EN}\b"
        ),
    ),
    # "you have bipolar", "you've probably got PTSD", "you're bipolar"
    (
        DIAGNOSIS,
        re.compile(
            r"\byou(?:'ve| have)?(?: definitely| probably| clearly| obviously| might| may| must)?"
            r"(?: have| got| be| have got)?\s+"
            rf"(?:{_CONDITIONS_EN})\b"
            r"|\byou(?:'re| are)(?: definitely| probably| clearly| obviously)?\s+"
            r"(?:bipolar|psychotic|schizophrenic|borderline|autistic|manic|a narcissist)\b"
        ),
    ),
    # "sounds like PTSD", "that's textbook bipolar", "it looks like an eating disorder to me"
    (
        DIAGNOSIS,
        re.compile(
            r"\b(?:sounds|looks|seems) (?:a lot |to me )?like\s+(?:you (?:have|'ve got|got)\s+|"
            r"it'?s\s+|it is\s+|classic\s+|textbook\s+)?"
            rf"(?:{_CONDITIONS_EN})\b"
            r"|\b(?:that's|that is|it's|it is|classic|textbook)\s+(?:classic\s+|textbook\s+)"
            rf"(?:{_CONDITIONS_EN})\b"
        ),
    ),
)

_ES_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "tomate 2 de tus xanax", "toma dos pastillas", "deberias tomar otra pastilla"
    (
        DOSING,
        re.compile(
            rf"(?:{_CLAUSE_ES}|{_YOU_SHOULD_ES})(?:tomate|toma|tomar|prueba|usa)\s+{_NUMBER_ES}\s+"
            rf"(?:de\s+)?(?:tus\s+|las\s+|los\s+|esas\s+|mis\s+)?{_MEDICINE_WORDS_ES}\b"
        ),
    ),
    # "dobla tu dosis", "sube la dosis", "duplica tus pastillas"
    (
        DOSING,
        re.compile(
            rf"\b(?:dobla|doblar|duplica|duplicar|sube|subir|aumenta|aumentar|baja|bajar|"
            rf"reduce|reducir|parte|partir|cambia|cambiar)\s+(?:tu|tus|la|las)\s+{_MEDICINE_WORDS_ES}\b"
        ),
    ),
    # "deja de tomar tus pastillas", "no necesitas tus medicamentos", "suspende la medicacion"
    (
        STOPPING_MEDICATION,
        re.compile(
            rf"(?:{_CLAUSE_ES}|{_YOU_SHOULD_ES})(?:deja|dejar|suspende|suspender|abandona|"
            rf"tira|quita|quitate)\s+(?:de\s+tomar\s+)?(?:tu|tus|la|las|el|los|esa|esas)?\s*"
            rf"{_MEDICINE_WORDS_ES}\b"
            rf"|\bno necesitas\s+(?:tomar\s+)?(?:tu|tus|la|las|esas|esos)\s+{_MEDICINE_WORDS_ES}\b"
        ),
    ),
    # "tienes bipolar", "eres bipolar", "suena a TEPT", "parece que tienes depresion"
    (
        DIAGNOSIS,
        re.compile(
            rf"(?:^|[^\w])(?:tu\s+)?tienes\s+(?:seguramente\s+|claramente\s+|un\s+|una\s+)?"
            rf"(?:{_CONDITIONS_ES})\b"
            r"|\beres\s+(?:bipolar|esquizofrenic[oa]|psicotic[oa]|limite|autista)\b"
            rf"|\b(?:suena a|parece)\s+(?:que tienes\s+)?(?:{_CONDITIONS_ES})\b"
        ),
    ),
)

# Amounts in milligrams and the like read as dosing in any language.
_COMMON_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (DOSING, re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|milligrams?|miligramos?|ml)\b")),
)

_RULES_BY_LANGUAGE = {"en": _EN_RULES, "es": _ES_RULES}
_REASON_ORDER = (DOSING, STOPPING_MEDICATION, DIAGNOSIS)
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u0060\u00b4]")
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
# A sentence that sends the reader to a professional is the advice we want, not a dose:
# "ask your doctor before you change your dose".
_REFERS_TO_PROFESSIONAL = re.compile(
    r"\b(?:ask|talk to|talk with|speak to|speak with|check with|call|see)\s+(?:your|a|the)\s+"
    r"(?:doctor|doc|gp|prescriber|pharmacist|psychiatrist|nurse|clinician|care team|counsell?or)\b"
    r"|\b(?:pregunta|preguntale|consulta|habla con|llama a)\s+(?:a\s+)?(?:tu|un|una|el|la)\s+"
    r"(?:medico|doctora?|farmaceutic[oa]|psiquiatra|enfermer[oa]|clinic[oa])\b"
)


def _normalised(text: str) -> str:
    # Lower case, straight apostrophes, no accents ("tómate" and "tomate" are one word here).
    text = _APOSTROPHES.sub("'", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def looks_like_clinical_advice(text: str, language: str) -> list[str]:
    """Why `text` reads like clinical advice (DOSING, STOPPING_MEDICATION, DIAGNOSIS, in that
    order, each once), or an empty list; rules of `language` ("en", "es"; any other: both)."""
    language = (language or "").split("-")[0].lower()
    rules = _RULES_BY_LANGUAGE.get(language, _EN_RULES + _ES_RULES) + _COMMON_RULES
    found = set()
    for sentence in _SENTENCE_END.split(_normalised(text)):
        for reason, pattern in rules:
            if reason in found or _excused(reason, sentence) or not pattern.search(sentence):
                continue
            found.add(reason)
    return [reason for reason in _REASON_ORDER if reason in found]


def _excused(reason: str, sentence: str) -> bool:
    if reason == DIAGNOSIS:
        # "you have bipolar?" asks; it does not tell.
        stripped = sentence.strip()
        return stripped.endswith("?") or stripped.startswith("¿")
    return bool(_REFERS_TO_PROFESSIONAL.search(sentence))
