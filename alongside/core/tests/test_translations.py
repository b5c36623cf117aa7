"""The Spanish translation is complete, compiled, and reaches the people who ask for it."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _entries(path: Path) -> list[dict]:
    """The catalogue's entries, each as {"flags", "msgid", "msgid_plural", "msgstr[0]", ...}."""
    entries: list[dict] = []
    entry: dict | None = None
    field = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, ""
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return entries


def _translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Spanish request must not leave Spanish active for whatever runs next in this thread."""
    yield
    translation.deactivate()


def test_spanish_catalogue_has_nothing_untranslated_or_fuzzy():
    header, *messages = _entries(CATALOGUE)
    assert header["msgid"] == ""
    assert "Language: es\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert len(messages) > 300
    fuzzy = [entry["msgid"] for entry in [header, *messages] if "fuzzy" in entry["flags"]]
    untranslated = [entry["msgid"] for entry in messages if not all(_translations(entry))]
    assert fuzzy == []
    assert untranslated == []


def test_spanish_keeps_every_placeholder():
    for entry in _entries(CATALOGUE)[1:]:
        expected = sorted(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
        for translated in _translations(entry):
            assert sorted(PLACEHOLDER.findall(translated)) == expected, entry["msgid"]


def test_compiled_catalogue_matches_the_po_file():
    """The .mo is what Django reads; a .po edited without compilemessages changes nothing."""
    with COMPILED.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in _entries(CATALOGUE)[1:]:
        if "msgid_plural" in entry:
            forms = [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            assert forms == [entry["msgstr[0]"], entry["msgstr[1]"]], entry["msgid"]
        elif "msgctxt" in entry:
            translated = catalogue.pgettext(entry["msgctxt"], entry["msgid"])
            assert translated == entry["msgstr"], (entry["msgctxt"], entry["msgid"])
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "how",
    [{"HTTP_ACCEPT_LANGUAGE": "es"}, {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=es"}],
    ids=["accept-language", "cookie"],
)
def test_landing_page_speaks_spanish_when_asked(client, how):
    page = client.get("/", **how).content.decode()
    assert '<html lang="es">' in page
    assert "No tienes que hacerlo a solas." in page
    assert "Iniciar sesión" in page
    assert "You don't have to do this alone." not in page


def test_landing_page_stays_english_by_default(client, db):
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "You don't have to do this alone." in page
    assert "No tienes que hacerlo a solas." not in page


def test_member_who_prefers_spanish_sees_their_home_in_spanish(client_of, member):
    member.profile.preferred_language = "es"
    member.profile.save()
    page = client_of(member).get(reverse("core:home")).content.decode()
    assert '<html lang="es">' in page
    assert f"Te damos la bienvenida, {member.display_name}" in page
    assert "Integrante" in page
    assert "Cerrar sesión" in page
    assert "Welcome," not in page
