"""Issue 9.5: safe by default. DEBUG is off unless asked for, production settings pass
``check --deploy`` with zero findings, and the portal's pages carry a Content-Security-Policy
that they obey (no inline script, no event-handler attributes)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

# What docs/security.md tells a deployment to set.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7#Qm2!vL9pZ4rT8wK1@bN6cY3fH5jD0sG$eA-uR_iO+lP*qW&zX%tV^yB(nM)kJ",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "IDENTITY_HASH_KEY": "a-production-identity-hash-key-of-some-length",
    "DJANGO_ALLOWED_HOSTS": "portal.example.go.kr",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
}


def manage(*args, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "FIELD_ENCRYPTION", "IDENTITY_HASH"))
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", **environment)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy_with_zero_findings():
    done = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_without_environment_the_portal_refuses_to_start_rather_than_run_in_debug():
    done = manage("check")

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in done.stderr


def test_debug_is_off_unless_the_development_command_asks_for_it():
    done = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        **PRODUCTION,
    )

    assert done.stdout.strip() == "False", done.stderr


def test_the_proxy_ssl_header_and_cookie_flags_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    )
    done = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        **PRODUCTION,
    )

    assert done.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') True True", done.stderr


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_no_inline_script(client, company):
    client.force_login(company)
    response = client.get(reverse("investor-list"))

    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "object-src 'none'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    """What the policy would block in a browser is not written in the first place."""
    offending = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        handlers = re.findall(r"\son[a-z]+\s*=", text)
        if inline or handlers:
            offending.append(template.name)
    assert offending == []
