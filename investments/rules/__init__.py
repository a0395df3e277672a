"""The rules of SPEC §4 as pure functions: no database, no clock, no settings.

The caller (``investments.eligibility``) reads the ledger and the reference rows, turns them
into the plain facts of ``facts.py`` and passes every legal number in through ``Parameters``.
Each result carries ``Reason`` objects naming the rule, a readable sentence and the seed
section or [decision] setting that decided it.
"""
