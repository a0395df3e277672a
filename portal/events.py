"""The event feed (issue 13.3): every change a client may see, in commit order, with a stable
cursor, through the access gate.

Why positions are not row ids: ids are handed out when a row is inserted, not when its
transaction commits. Transaction A may insert event 10, transaction B event 11 and commit
first; a client reading "after 9" then sees 11, moves its cursor to 11, and never sees 10 when
A commits. So an event is inserted without a position, and positions are given only to
*committed* events, by :func:`number_events`, which

* runs after each writing transaction commits (``portal.audit``) and before every read of the
  feed (so nothing is left unnumbered if a process died between its commit and the numbering);
* numbers, in one ``UPDATE``, every committed event still without a position, from the
  largest position already given, in id order;
* on PostgreSQL first takes a transaction-level advisory lock, held until its own commit: two
  numberings never overlap, and each starts after the previous one has committed, so every
  position it gives is larger than every position any reader can already see. (SQLite runs
  one writer at a time, which gives the same guarantee.)

Hence a reader that has seen position *p* will only ever find new events above *p*: the cursor
is stable and nothing committed later can appear below it. The order is the order in which
transactions committed (events of one transaction keep their insertion order); a transaction
still running is simply not in the feed yet.
"""

from django.db import connection, transaction

from .models import Event

#: Any constant distinct from other advisory locks of the application.
NUMBERING_LOCK = 0x5045_4556  # "PEEV": portal events

NUMBER_SQL = """
UPDATE {table} SET position = numbered.position
FROM (
    SELECT id,
           (SELECT COALESCE(MAX(position), 0) FROM {table})
           + ROW_NUMBER() OVER (ORDER BY id) AS position
    FROM {table}
    WHERE position IS NULL
) AS numbered
WHERE {table}.id = numbered.id
RETURNING {table}.id
"""


def number_events():
    """Give every committed event without a position the next positions; returns their ids.
    Newly numbered events are handed to the webhooks. Safe to run at any time, concurrently."""
    table = connection.ops.quote_name(Event._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBERING_LOCK])
            cursor.execute(NUMBER_SQL.format(table=table))
            numbered = [row[0] for row in cursor.fetchall()]
        if numbered:
            from .webhooks import fan_out

            fan_out(numbered)
    return numbered


def events_after(user, *, after=0, limit=100, types=None):
    """The events ``user`` may see with a position above ``after``, oldest first, at most
    ``limit`` of them."""
    number_events()
    events = Event.objects.visible_to(user).filter(position__gt=after)
    if types:
        events = events.filter(type__in=types)
    return list(events.select_related("office").order_by("position")[:limit])


#: The API collection of each kind of object in the feed (reviews are read on their report).
ROUTES = {
    "investor": "investors",
    "investment": "investments",
    "payment": "payments",
    "recovery": "recoveries",
    "lapse": "lapses",
    "status_grant": "status-grants",
    "obligation": "obligations",
    "withdrawal_report": "withdrawal-reports",
    "monthly_notice": "monthly-notices",
    "sanction": "sanctions",
    "proxy_application": "proxy-applications",
}


def event_payload(event, *, base_url=""):
    """What a client receives for one event, in the feed and in a webhook delivery."""
    route = ROUTES.get(event.object_type)
    return {
        "cursor": str(event.position),
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "verb": event.verb,
        "reason": event.reason,
        "object": {
            "type": event.object_type,
            "id": event.object_id,
            "url": f"{base_url}/api/v1/{route}/{event.object_id}/" if route else None,
        },
        "institution": event.institution_id,
        "office": event.office.code if event.office_id else None,
    }
