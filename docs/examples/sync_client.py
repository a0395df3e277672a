#!/usr/bin/env python3
"""A worked API client: how KDB's or a sales company's own system syncs with the portal.

    python docs/examples/sync_client.py --base-url http://127.0.0.1:8000 \\
        --username kdb --password demo-pass-2026 --workflow kdb
    python docs/examples/sync_client.py --base-url … --api-key ipk_… --workflow company

With ``--username``/``--password`` (an institution administrator) it first issues itself an
API key, as an administrator does once on the portal's "API keys" page; with ``--api-key`` it
uses the key given. Then it runs the daily workflow and the monthly one (docs/api.md):

daily   push today's deposits or unit sales in one bulk request (Idempotency-Key: a retry
        after a timeout records nothing twice), record a recovery, read the deadline it opens,
        file the withdrawal report, correct a wrong payment under If-Match, and read what
        changed since the last run from the event feed (the cursor is kept in a file);
monthly compute last month's notice, read its checks, submit it (confirming warnings), and
        fetch the receipt and the workbook.

Exits non-zero on any unexpected answer. Needs only ``httpx``.
"""

import argparse
import json
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx

WORKFLOWS = {
    "kdb": {
        "investment": {
            "program": "public_interest",
            "project": "kdb-fund",
            "investor_class": "depositor",
            "contract_amount_krw": 1_500_000_000,
        },
        "payments": [("deposit", 1_500_000_000)],
        "recovery": ("early_repayment", 100_000_000),
        "program": "public_interest",
        "nationality": "VN",
    },
    "company": {
        "investment": {
            "program": "tourism",
            "zone": "jeju",
            "investor_class": "registered_owner",
            "property_name": "Halla Resort",
            "facility_type": "resort-condominium",
            "contract_amount_krw": 1_000_000_000,
        },
        "payments": [("down", 100_000_000), ("intermediate", 400_000_000), ("final", 500_000_000)],
        "recovery": ("sale", 200_000_000),
        "program": "tourism",
        "nationality": "CN",
    },
}


class Portal:
    """A thin client: every write carries an Idempotency-Key, every answer is checked."""

    def __init__(self, base_url, auth_header):
        self.http = httpx.Client(
            base_url=f"{base_url.rstrip('/')}/api/v1",
            headers={"Authorization": auth_header, "Accept-Language": "en"},
            timeout=60,
        )

    def call(self, method, path, *, expect=(200, 201), key=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if key is not None:
            headers["Idempotency-Key"] = key
        answer = self.http.request(method, path, headers=headers, **kwargs)
        if answer.status_code not in expect:
            sys.exit(f"{method} {path} → {answer.status_code}: {answer.text[:500]}")
        return answer

    def get(self, path, **params):
        return self.call("GET", path, params=params).json()

    def post(self, path, body, *, key, expect=(200, 201), **kwargs):
        return self.call("POST", path, json=body, key=key, expect=expect, **kwargs)


def issue_key(base_url, username, password, label):
    """What an institution administrator does once: sign in, issue a key for the system."""
    token = httpx.post(
        f"{base_url.rstrip('/')}/api/v1/auth/token/",
        data={"username": username, "password": password},
    )
    token.raise_for_status()
    answer = httpx.post(
        f"{base_url.rstrip('/')}/api/v1/api-keys/",
        headers={"Authorization": f"Token {token.json()['token']}"},
        json={
            "label": label,
            "scopes": ["ledger.read", "ledger.write", "reports.file", "notices.submit"],
            "expires_on": (date.today() + timedelta(days=30)).isoformat(),
        },
    )
    answer.raise_for_status()
    return answer.json()["key"]


def daily(portal, flow, run):
    """Push today's business, follow its deadline, file the report, correct a mistake."""
    today = date.today().isoformat()
    # two letters and seven digits: a passport number of every nationality's shape
    passport = f"EX{int(run[:8], 16) % 10**7:07d}"
    client = {
        "full_name": f"Example Client {run[:6]}",
        "nationality": flow["nationality"],
        "date_of_birth": "1970-01-01",
        "passport_number": passport,
    }
    investor = portal.post("/investors/", client, key=f"investor-{passport}").json()
    # A retry after a timeout, as a network would cause it: the same key replays the answer.
    replay = portal.post("/investors/", client, key=f"investor-{passport}")
    assert replay.headers.get("Idempotent-Replayed") == "true", "a retry must not write twice"
    assert replay.json()["id"] == investor["id"]
    print(f"investor #{investor['id']} registered (a retry with the same key replayed it)")

    investment = portal.post(
        "/investments/bulk/",
        {
            "rows": [
                {
                    **flow["investment"],
                    "investor": investor["id"],
                    "unit_number": f"EX-{run[:6]}",
                    "contract_date": today,
                }
            ]
        },
        key=f"investments-{run}",
    ).json()["results"][0]
    rows = [
        {"investment": investment["id"], "paid_on": today, "amount_krw": amount, "kind": kind}
        for kind, amount in flow["payments"]
    ]
    # A typing mistake, corrected below (an amount KDB accepts: a deposit is at least KRW 5 M).
    wrong = {**rows[-1], "amount_krw": 7_000_000}
    payments = portal.post("/payments/bulk/", {"rows": [*rows, wrong]}, key=f"pay-{run}").json()
    print(f"investment #{investment['id']}: {payments['created']} payments pushed in one request")

    mistake = payments["results"][-1]
    read = portal.call("GET", f"/payments/{mistake['id']}/")
    voided = portal.post(
        f"/payments/{mistake['id']}/void/",
        {"reason": "Keyed twice by the back office"},
        key=f"void-{mistake['id']}",
        headers={"If-Match": read.headers["ETag"]},
    ).json()
    stale = portal.post(
        f"/payments/{mistake['id']}/void/",
        {"reason": "again"},
        key=f"void-again-{mistake['id']}",
        headers={"If-Match": read.headers["ETag"]},
        expect=(412,),
    )
    print(
        f"payment #{voided['id']} voided; a second client with the old ETag got {stale.status_code}"
    )

    reason, amount = flow["recovery"]
    recovery = portal.post(
        "/recoveries/",
        {
            "investment": investment["id"],
            "recovered_on": today,
            "amount_krw": amount,
            "reason": reason,
        },
        key=f"recovery-{run}",
    ).json()
    obligation = portal.get(f"/obligations/{recovery['obligation']}/")
    print(f"recovery #{recovery['id']}: withdrawal report due {obligation['due_on']}")
    due = portal.get("/obligations/", state="due", kind="withdrawal_report")
    print(f"{due['count']} withdrawal report(s) due in all")
    report = portal.post(
        "/withdrawal-reports/",
        {"obligation": obligation["id"], "remarks": "Filed by the nightly sync"},
        key=f"report-{obligation['id']}",
    ).json()
    print(f"report filed: {report['obligation_state']}, digest {report['digest'][:12]}…")


def follow_events(portal, cursor_file):
    """Everything that changed since the last run, from the stored cursor."""
    cursor = cursor_file.read_text().strip() if cursor_file.exists() else "0"
    seen = 0
    while True:
        page = portal.get("/events/", after=cursor, limit=200)
        seen += len(page["results"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    cursor_file.write_text(cursor)
    print(f"{seen} change(s) read from the event feed; cursor now {cursor}")
    return seen


def monthly(portal, flow, out_dir):
    """Last month's notice: compute, check, submit, keep the receipt and the workbook."""
    first = date.today().replace(day=1)
    period = (first - timedelta(days=1)).strftime("%Y-%m")
    notice = portal.post(
        "/monthly-notices/",
        {"period": period, "program": flow["program"]},
        key=f"notice-{period}-{flow['program']}-{uuid.uuid4().hex}",
    ).json()
    errors = [c["text"] for c in notice["checks"] if c["level"] == "error"]
    warnings = [c["text"] for c in notice["checks"] if c["level"] == "warning"]
    print(
        f"notice {period} v{notice['version']}: {len(errors)} error(s), {len(warnings)} warning(s)"
    )
    if errors:
        sys.exit("Correct the ledger first: " + " / ".join(errors))
    receipt = portal.post(
        f"/monthly-notices/{notice['id']}/submit/",
        {"confirm_warnings": True},
        key=f"submit-{notice['id']}",
    ).json()
    print(f"submitted: receipt {receipt['number']} at {receipt['submitted_at']}")
    workbook = portal.call("GET", f"/monthly-notices/{notice['id']}/xlsx/")
    target = out_dir / f"notice-{period}-{flow['program']}.xlsx"
    target.write_bytes(workbook.content)
    assert workbook.content[:2] == b"PK", "an .xlsx is a zip archive"
    print(f"workbook saved to {target} ({len(workbook.content):,} bytes)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--api-key")
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--workflow", choices=sorted(WORKFLOWS), required=True)
    parser.add_argument("--state-dir", default=".", type=Path)
    args = parser.parse_args()
    key = args.api_key or issue_key(
        args.base_url, args.username, args.password, f"Example {args.workflow} sync"
    )
    portal = Portal(args.base_url, f"Api-Key {key}")
    flow = WORKFLOWS[args.workflow]
    run = uuid.uuid4().hex
    cursor_file = args.state_dir / f"events-cursor-{args.workflow}.txt"
    follow_events(portal, cursor_file)
    daily(portal, flow, run)
    assert follow_events(portal, cursor_file) > 0, "today's changes must be in the feed"
    monthly(portal, flow, args.state_dir)
    print(json.dumps({"workflow": args.workflow, "result": "ok"}))


if __name__ == "__main__":
    main()
