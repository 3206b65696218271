"""Every string a user can see ships translated in Brazilian Portuguese, Spanish and French."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["pt_BR", "es", "fr"]
SOURCES = ["accounts", "budgeting", "cities", "config", "governance", "partnerships", "templates"]


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """The catalogues makemessages produces from today's code, merged with the committed ones."""
    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed (CI installs it)")
    work = tmp_path_factory.mktemp("i18n")
    for name in [*SOURCES, "locale"]:
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    env = {**os.environ, "DEBUG": "true", "PYTHONPATH": str(work)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete",
         *[f"-l{lang}" for lang in LOCALES]],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return work / "locale"


@pytest.mark.parametrize("lang", LOCALES)
def test_every_string_in_the_code_is_translated(fresh_catalogues, lang):
    catalogue = polib.pofile(str(fresh_catalogues / lang / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{lang}: untranslated: {missing}"
    assert not fuzzy, f"{lang}: fuzzy (check and unflag): {fuzzy}"


@pytest.mark.parametrize("lang", LOCALES)
def test_the_compiled_catalogue_matches_its_source(lang):
    folder = ROOT / "locale" / lang / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    with open(folder / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in source.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, (
                f"{lang}: django.mo is stale; run `make messages`"
            )


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_survive_translation(lang):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    catalogue = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wanted = sorted(pattern.findall(entry.msgid_plural or entry.msgid))
        for text in translations:
            found = sorted(pattern.findall(text))
            if entry.msgid_plural:  # a plural form may leave out the count itself
                assert set(found) <= set(wanted), (lang, entry.msgid, text)
            else:
                assert found == wanted, (lang, entry.msgid, text)
