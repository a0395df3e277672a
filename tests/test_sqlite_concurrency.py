"""Issue 9.7: the embedded database survives concurrency. Fifty threads, each with its own
connection (the portal's SQLite settings) to one file database, run a read-then-write
transaction at once — the shape of every ledger verb, which reads what is held before it
writes. Every writer gets an answer; none fails with "database is locked"."""

import threading

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

WRITERS = 50

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="checks the settings of the embedded default"
)


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker):
    """These tests open their own connections to their own file, outside the test database."""
    with django_db_blocker.unblock():
        yield


def sqlite_settings(name):
    """The portal's SQLite settings (portal/settings.py), on another file."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    return {**connection.settings_dict, "NAME": str(name), "OPTIONS": options}


def test_the_sqlite_settings_use_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    database = DatabaseWrapper(sqlite_settings(tmp_path / "portal.sqlite3"))
    with database.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert database.transaction_mode == "IMMEDIATE"
    database.close()


def test_fifty_parallel_writers_all_get_answers(tmp_path):
    name = tmp_path / "portal.sqlite3"
    setup = DatabaseWrapper(sqlite_settings(name))
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE ledger (n integer, held integer)")
    setup.close()
    start = threading.Barrier(WRITERS)
    failures = []

    def write(n):
        database = DatabaseWrapper(sqlite_settings(name), alias=f"writer{n}")
        try:
            database.ensure_connection()
            start.wait()
            database._start_transaction_under_autocommit()  # as transaction.atomic does
            with database.cursor() as cursor:
                held = cursor.execute("SELECT count(*) FROM ledger").fetchone()[0]
                cursor.execute("INSERT INTO ledger VALUES (%s, %s)", [n, held])
                cursor.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 - every failure is the finding
            failures.append(repr(error))
        finally:
            database.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    check = DatabaseWrapper(sqlite_settings(name))
    with check.cursor() as cursor:
        rows = cursor.execute("SELECT held FROM ledger ORDER BY held").fetchall()
    check.close()
    assert failures == []
    # Serialised, not interleaved: each writer saw every earlier one.
    assert [held for (held,) in rows] == list(range(WRITERS))
