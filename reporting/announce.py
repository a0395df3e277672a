"""Telling an institution what happened to it (issue 11.2): in its users' notification lists at
once (``reporting.inbox``, in the transaction of the verb), and, for a new obligation or the
office's return of a report or notice, by e-mail once the transaction has committed (a Celery
task through the mail outbox, ``reporting.sweep``), so a rolled-back verb mails nothing and a
re-run mails nothing twice. The verbs call these; nothing listens to signals."""

from . import inbox, tasks
from .choices import ReviewState


def obligation_opened(obligation):
    inbox.opened(obligation)
    tasks.queue_after_commit(tasks.mail_opened_task, obligation.pk)


def review_decided(review):
    inbox.reviewed(review)
    if review.state == ReviewState.RETURNED:
        tasks.queue_after_commit(tasks.mail_return_task, review.pk)
