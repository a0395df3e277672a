"""Pages of the ledger, one module per concept: the tables (``tables``) and the forms that
record it (``entries``).

The ledger app imports nothing of ``reporting``. The pages that show the ledger together with
what reporting derives from it live in ``reporting.views``: the investor page (the rules'
answer, the F-5 clock, a what-if), the recovery form (``reporting.services.record_recovery``
opens the withdrawal-report obligation with it), the corrections (voiding a recovery cancels
its obligation) and the investment table's export (an export job).
"""
