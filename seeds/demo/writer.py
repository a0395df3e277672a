"""Writing the demo ledger: each chunk of generated rows with ``bulk_create``, parents first,
and deleting a demo ledger before it is built again.

A person the registry already knows (same nationality and passport, recorded by another
institution) is reused, as ``register_investor`` would. No history rows are written for the
ledger: nothing on the pages reads them, and they would double the rows to insert; the
obligations, reports and notices of ``seeds.demo.reporting`` carry their history.
"""

from django.apps import apps
from django.db import connection

from investments.models import (
    Investment,
    Investor,
    Lapse,
    Payment,
    Person,
    Property,
    Recovery,
    RelatedPerson,
    StatusGrant,
)

BATCH = 2000
#: Parents before children: the order rows are inserted in.
MODELS = (
    Person,
    Investor,
    RelatedPerson,
    Property,
    Investment,
    Payment,
    Recovery,
    Lapse,
    StatusGrant,
)


def save(rows, people):
    """Insert one chunk's ``rows`` ({model: [row]}) and its new ``people`` ({hash: Person});
    returns how many rows of each model were written."""
    known, hashes = {}, list(people)
    for i in range(0, len(hashes), BATCH):
        known.update(Person.objects.in_bulk(hashes[i : i + BATCH], field_name="identity_hash"))
    for row in rows[Investor] + rows[StatusGrant]:
        row.person = known.get(row.person.identity_hash, row.person)
    rows[Person] = [person for key, person in people.items() if key not in known]
    counts = {}
    for model in MODELS:
        model.objects.bulk_create(rows[model], batch_size=BATCH)
        counts[model._meta.model_name] = len(rows[model])
    return counts


def delete_rows(queryset):
    """``DELETE … WHERE pk IN (query set)`` in one statement. The ORM's ``delete()`` would
    load every row to send signals, and write a deletion history row for each: minutes for a
    large demo, for rows nobody needs a record of."""
    table, pk = queryset.model._meta.db_table, queryset.model._meta.pk.column
    select, params = queryset.values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(pk)} IN ({select})", params)  # noqa: S608


def delete_ledger(institutions):
    """Delete the institutions' whole ledger, children first. A row referenced from elsewhere,
    such as a personal-data access log that must be kept two years, makes the database's
    foreign-key check fail (``IntegrityError``) and nothing is deleted. The base managers
    include what the default ones hide (voided entries, merged investors)."""
    count = Investor.objects.filter(institution__in=institutions).count()
    for model, path in [
        (StatusGrant, "investor__"),
        (Recovery, "investment__"),
        (Payment, "investment__"),
        (Lapse, "investment__"),
        (Investment, ""),
        (Property, ""),
        (RelatedPerson, "investor__"),
        (Investor, ""),
    ]:
        delete_rows(model._base_manager.filter(**{f"{path}institution__in": institutions}))
    delete_rows(Person.objects.filter(investor_records__isnull=True))
    connection.check_constraints()
    return count


#: The apps whose tables a demo build writes.
ANALYZED_APPS = ("portal", "investments", "reporting")


def analyze():
    """Refresh the planner's statistics after a bulk load (PostgreSQL and SQLite both have
    ``ANALYZE``): inside the loading transaction the planner knows nothing of the new rows, and
    the monthly notices computed next took thirty times longer without it.

    Table by table, the tables the build writes, never a bare ``ANALYZE``: on PostgreSQL that
    one also analyzes the cluster's shared catalogs and keeps their lock until the build
    commits, so every other database's ``ANALYZE`` (a test suite's, another build's) waited for
    the end of a large build."""
    tables = [
        model._meta.db_table
        for label in ANALYZED_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.managed
    ]
    with connection.cursor() as cursor:
        for table in sorted(set(tables)):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
