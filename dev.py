#!/usr/bin/env python3
"""Quick start for a fresh machine that has only Python (3.11 or newer).

    python3 dev.py serve   # venv, migrate, reference data, demo data, http://127.0.0.1:8000
    python3 dev.py serve 8001   # the same on another port (or: serve --port 8001)
    python3 dev.py test    # venv, then the whole test suite (pytest)

Everything else is ordinary Django: ``.venv/bin/python manage.py …``.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
# The portal starts with DEBUG off and demands real secrets (portal/settings.py); this
# development command asks for DEBUG and the development keys instead.
os.environ.setdefault("DJANGO_DEBUG", "1")


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)  # noqa: S603 (our own argv)


def ensure_environment():
    """Create .venv and install the exact versions of ``requirements.lock`` (checked against
    their hashes), then the project itself; quiet when both files are unchanged since."""
    if sys.version_info < (3, 11):  # noqa: UP036 (runs on whatever python3 the machine has)
        sys.exit(f"Python 3.11 or newer is required (this is {sys.version.split()[0]}).")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / ".installed"
    spec = (ROOT / "pyproject.toml").read_bytes() + (ROOT / "requirements.lock").read_bytes()
    if not marker.exists() or marker.read_bytes() != spec:
        pip = [PYTHON, "-m", "pip", "install", "--quiet"]
        run(*pip, "--upgrade", "pip")
        run(*pip, "--require-hashes", "-r", "requirements.lock")
        run(*pip, "--no-deps", "-e", ".")
        marker.write_bytes(spec)


def serve_port(args):
    """``serve 8001`` or ``serve --port 8001`` (also ``--port=8001``); 8000 by default."""
    args = list(args)
    if args and args[0].startswith("--port="):
        args = ["--port", args[0].split("=", 1)[1]]
    if not args:
        return 8000
    if args[0] == "--port":
        args = args[1:]
    if len(args) != 1 or not args[0].isdigit() or not 0 < int(args[0]) < 65536:
        sys.exit(f"dev.py serve: not a port: {' '.join(args)}\n\n{__doc__}")
    return int(args[0])


def serve(port=8000):
    ensure_environment()
    manage = [PYTHON, "manage.py"]
    run(*manage, "migrate", "--no-input")
    run(*manage, "load_seeds")
    run(
        *manage,
        "make_demo",
        "--investors",
        os.environ.get("DEMO_INVESTORS", "500"),
        "--password",
        DEMO_PASSWORD,
    )
    site = f"http://127.0.0.1:{port}"
    print(f"\nPortal: {site}  —  API docs: {site}/api/v1/docs/\n")
    run(*manage, "runserver", f"127.0.0.1:{port}")


def test(extra):
    ensure_environment()
    workers = [] if any(arg.startswith("-n") for arg in extra) else ["-n", "auto"]
    run(PYTHON, "-m", "pytest", *workers, *extra)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "serve":
        serve(serve_port(rest))
    elif command == "test":
        test(rest)
    else:
        sys.exit(__doc__)
