"""The in-portal notification list of each user (issue 11.2)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import is_signed_in


class InboxItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own messages only: nobody, HQ included, reads another's list."""
        if not is_signed_in(user):
            return self.none()
        return self.filter(user_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class InboxItem(models.Model):
    """One message in a user's notification list: a message id and its parameters, rendered
    in the reader's language when read (``reporting.inbox``), so a Korean reader never sees
    the English of the user who caused it. ``key`` names the event it is about (one review,
    one obligation opening, one reminder), so an event repeated by a re-run adds nothing."""

    user = models.ForeignKey(
        "portal.User", models.CASCADE, related_name="inbox", verbose_name=_("user")
    )
    message = models.CharField(_("message"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    link = models.CharField(_("link"), max_length=200, blank=True)
    key = models.CharField(_("event"), max_length=80)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("in-portal notification")
        verbose_name_plural = _("in-portal notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="inbox_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_unread")]

    def __str__(self):
        return f"{self.user} · {self.message} · {self.key}"
