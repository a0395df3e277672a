"""Every environment variable the settings read is named in docs/configuration.md, so that
whoever deploys the portal finds each choice it offers in one place."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r'env(?:_bool|_secret)?\(\s*"([A-Z0-9_]+)"')


def test_every_variable_the_settings_read_is_documented():
    settings = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    read = set(READ.findall(settings))
    assert len(read) > 40  # the pattern still finds the settings' reads
    assert sorted(name for name in read if f"`{name}`" not in docs) == []


def test_the_documented_variables_are_read():
    settings = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`", docs, flags=re.MULTILINE))
    assert sorted(documented - set(READ.findall(settings))) == []
