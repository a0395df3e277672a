#!/usr/bin/env python3
"""The API keeps its published contract: schemathesis against a live server, as each role.

    .venv/bin/python .ci/api_contract.py --database-url postgres://…/portal_contract --password P
    .venv/bin/python .ci/api_contract.py --base-url http://127.0.0.1:8000 --password P

With ``--database-url`` (how ``.ci/run`` calls it, with an empty database of its own) it
migrates that database, loads the seeds, builds the demo ledger (``make_demo``) with the demo
accounts' password ``P``, and starts the development server on it; with ``--base-url`` it uses
a server already running with the demo accounts. It signs in as a sales company, KDB, an
immigration officer and HQ (the demo accounts of SPEC §8.1), fetches the OpenAPI schema (which
needs a sign-in), and for each role lets schemathesis call every operation with generated
requests — valid and invalid ones, at least ``--examples`` per operation — checking every
answer: no 5xx, a status code the schema declares, the declared content type, and a body that
matches the declared schema. Any failure exits non-zero.

Every token is obtained before any generated request is sent: the generated sign-ins with wrong
passwords must not lock a demo account out before its turn.
"""

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROLES = {
    "company": "company.jeju",
    "kdb": "kdb",
    "officer": "officer.jeju",
    "hq": "hq",
}
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def token(base_url, username, password):
    response = httpx.post(
        f"{base_url}/api/v1/auth/token/",
        json={"username": username, "password": password},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["token"]


ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@contextlib.contextmanager
def demo_server(database_url, password, log_path):
    """A development server on ``database_url`` holding the demo ledger; yields its address."""
    # One database connection per request and closed after it (portal.settings): the
    # development server's thread per request would otherwise pile connections up.
    # Throttling would answer most generated requests 429 (declared, so they would pass while
    # testing nothing): the contract run lifts the rates.
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_DEBUG="1",
        DATABASE_CONN_MAX_AGE="0",
        API_THROTTLE_USER_RATE="1000000/minute",
        API_THROTTLE_ANON_RATE="1000000/minute",
        # Background tasks are queued in Redis as in production, with no worker: run eagerly,
        # each webhook the fuzzer registers (at generated addresses) would be delivered and
        # retried inside the request that raised the event, until requests time out.
        CELERY_BROKER_URL=os.environ.get("CONTRACT_BROKER_URL", "redis://127.0.0.1:6379/14"),
    )
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["load_seeds"],
        ["make_demo", "--investors", "40", "--reset", "--password", password],
    ):
        subprocess.run(manage + command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(  # noqa: S603
            manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(60):
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(f"{base_url}/api/v1/zones/", timeout=2)
                    break
                time.sleep(1)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", help="a running server with the demo accounts")
    where.add_argument("--database-url", help="an empty database to build the demo ledger in")
    parser.add_argument("--password", required=True, help="the demo accounts' password")
    parser.add_argument("--examples", type=int, default=20, help="at least this many per operation")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=2026, help="reproducible runs")
    parser.add_argument("--workers", default="1")
    parser.add_argument("--report-dir", default=None)
    args = parser.parse_args()
    work = Path(args.report_dir or tempfile.mkdtemp(prefix="api-contract-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.base_url:
        return check(args.base_url.rstrip("/"), args, work)
    log_path = work / "server.log"
    with demo_server(args.database_url, args.password, log_path) as base_url:
        failed = check(base_url, args, work)
    if failed:
        print("".join(log_path.read_text(errors="replace").splitlines(True)[-50:]))
    return failed


def check(base_url, args, work):
    """Run schemathesis as each role against ``base_url``; 0 if every role passed."""
    roles = [role for role in args.roles.split(",") if role]

    tokens = {role: token(base_url, ROLES[role], args.password) for role in roles}
    schema = httpx.get(
        f"{base_url}/api/v1/schema/",
        headers={"Authorization": f"Token {tokens[roles[0]]}", "Accept": "application/json"},
        params={"format": "json"},
        timeout=60,
    )
    schema.raise_for_status()
    schema_file = work / "schema.json"
    schema_file.write_bytes(schema.content)

    st = Path(sys.executable).with_name("st")
    failed = []
    for role in roles:
        print(f"== schemathesis as {role} ({ROLES[role]})", flush=True)
        command = [
            str(st),
            "run",
            str(schema_file),
            "--url",
            base_url,
            "--header",
            f"Authorization: Token {tokens[role]}",
            # One connection per request: the development server cannot read a chunked
            # request body, which then poisons the next request on a kept-alive connection.
            "--header",
            "Connection: close",
            "--checks",
            CHECKS,
            # Signing out deletes the role's token: every later request would be a 401 and the
            # run would check nothing. Sign-out has its own tests (tests/test_api_tokens.py).
            "--exclude-path",
            "/api/v1/auth/sign-out/",
            "--max-examples",
            str(args.examples),
            # The coverage phase (boundary values of every parameter) tripled the run's time;
            # examples and fuzzing give each operation its --examples generated requests.
            "--phases",
            "examples,fuzzing",
            "--seed",
            str(args.seed),
            "--workers",
            args.workers,
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "junit",
            "--report-dir",
            str(work / role),
        ]
        # In the report directory: schemathesis keeps its working files in the current one.
        if subprocess.run(command, cwd=work, check=False).returncode != 0:  # noqa: S603
            failed.append(role)
    if failed:
        print(f"API contract broken for: {', '.join(failed)} (reports in {work})")
        return 1
    print("API contract kept for every role.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
