"""REST API of reference data and the ledger (SPEC §8.2).

Viewsets are thin: a query set through the access gate, a serializer, a filter set. Writes go
through ``investments.services`` from the serializers' ``create``; corrections are actions
that need ``If-Match`` (``portal.rest.ETagMixin``). Voided entries and merged client records
are readable by id and listed with ``?voided=true`` / ``?merged=true``, left out otherwise.

By concept:

* ``base`` — the write permissions, the add-list-read base and the ``void`` action;
* ``reference`` — zones with their minimums and implementation periods;
* ``people`` — investors (lookup, reveal, correction, merge) and their relatives;
* ``ledger`` — investments, payments, lapses;
* ``grants`` — residence statuses granted.

``portal/urls.py`` registers the viewsets on the router.
"""
