"""One way to record who did what: every business verb of the ledger and of reporting saves its
rows through :func:`record` (or :func:`record_update` after a guarded ``UPDATE``).

In the same transaction it

* writes the row's history (``simple_history``) naming the user and the verb;
* appends the change to the event feed (``portal.models.Event``) with the institution and the
  office it concerns, so the feed passes through the access gate like the rows themselves,
  the acting user, and in full the reason a person gave for a correction (a voided row also
  keeps its reason itself);
* notes what a ledger row changes — ``(institution id, program, first day affected)`` from the
  model's ``ledger_changes()`` — for the *ledger followers*.

The ledger followers are the one hook for what is derived from the ledger and stored
(``settings.LEDGER_FOLLOWERS``, dotted paths): once the transaction has committed, each is
called with ``{(institution id, program): first day affected}`` of everything it changed.
Followers are called with that and the set of person ids the change touched (from the model's
``ledger_people()``): one flags submitted monthly notices whose figures the change alters
(``reporting.amendments``), one recomputes the stored eligibility facts of those people
(``reporting.eligibility_store``). What is stored per person is also marked stale inside the
transaction itself, as each row is written (``settings.LEDGER_MARKERS``, called with the ids of
the people the row touches), so a reader never takes it for current.

After the commit the new events get their feed positions (``portal.events.number_events``),
which also hands them to the webhooks. Both run once per transaction, however many rows it
wrote (a spreadsheet import of 20,000 rows numbers its events and wakes the followers once).
"""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .models import Event


def record(instance, *, by, verb, reason="", action=None, update_fields=None):
    """Save ``instance`` with its history and append its event; returns it.

    ``by`` is the acting user (``None`` for a scheduled job); ``verb`` the business verb's
    name, kept as the history's change reason; ``reason`` what a person gave for a correction;
    ``action`` the event's last word (``created`` / ``changed`` by default, ``voided``…)."""
    adding = instance._state.adding
    instance._history_user = by
    instance._change_reason = verb
    instance.save(update_fields=update_fields)
    publish(
        instance,
        by=by,
        verb=verb,
        action=action or ("created" if adding else "changed"),
        reason=reason,
    )
    return instance


def record_update(instance, *, by, verb, action="changed", reason=""):
    """``instance`` was changed by a guarded ``UPDATE`` (which writes no history): write the
    history row ``save()`` would have written and append the event."""
    manager = getattr(instance._meta, "simple_history_manager_attribute", None)
    if manager is not None:
        getattr(type(instance), manager).bulk_history_create(
            [instance], update=True, default_user=by, default_change_reason=verb
        )
    publish(instance, by=by, verb=verb, action=action, reason=reason)
    return instance


def publish(instance, *, by, verb, action, reason=""):
    """Append the event of a change to ``instance`` (rows that have a ``feed_scope``) and note
    its ledger changes (rows that have ``ledger_changes``)."""
    batch = _batch()
    if hasattr(instance, "feed_scope"):
        institution, office = instance.feed_scope()
        object_type = feed_name(instance)
        Event.objects.create(
            type=f"{object_type}.{action}",
            object_type=object_type,
            object_id=instance.pk,
            verb=verb,
            reason=reason,
            actor=by if getattr(by, "pk", None) else None,
            institution_id=institution,
            office_id=office,
        )
        batch.events = True
    if hasattr(instance, "ledger_changes"):
        for institution, program, day in instance.ledger_changes():
            key = (institution, program)
            if day is not None and (key not in batch.ledger or day < batch.ledger[key]):
                batch.ledger[key] = day
    if hasattr(instance, "ledger_people"):
        # Marked at every row, not once per transaction: a reader inside the same
        # transaction may have recomputed the person in between.
        people = set(instance.ledger_people())
        batch.people |= people
        for path in settings.LEDGER_MARKERS:
            import_string(path)(people)
    if batch.immediate:
        batch()


def feed_name(instance):
    """The name clients know a row by: the API's, in snake case (``monthly_notice``)."""
    return FEED_NAMES.get(instance._meta.model_name, instance._meta.model_name)


FEED_NAMES = {
    "statusgrant": "status_grant",
    "withdrawalreport": "withdrawal_report",
    "monthlynotice": "monthly_notice",
    "reportreview": "review",
    "proxyapplication": "proxy_application",
}


class AfterCommit:
    """What one transaction leaves to do once it has committed. It is registered with
    ``transaction.on_commit`` as soon as there is something to do; a savepoint rolled back
    drops it together with what was noted inside that savepoint."""

    def __init__(self, immediate=False):
        self.immediate = immediate
        self.done = False
        self.events = False
        self.ledger = {}
        self.people = set()

    def __call__(self):
        from .events import number_events

        self.done = True
        ledger, self.ledger = self.ledger, {}
        people, self.people = self.people, set()
        if self.events:
            self.events = False
            number_events()
        if ledger or people:
            for path in settings.LEDGER_FOLLOWERS:
                import_string(path)(ledger, people)


def _batch():
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return AfterCommit(immediate=True)
    for _savepoints, function, _robust in connection.run_on_commit:
        if isinstance(function, AfterCommit) and not function.done:
            return function
    batch = AfterCommit()
    transaction.on_commit(batch, robust=True)
    return batch


def client_address(request):
    """The address a request came from, as the access logs record it. Behind a proxy this is
    the proxy's unless it passes the client's on as ``REMOTE_ADDR`` (docs/security.md)."""
    return request.META.get("REMOTE_ADDR") or None
