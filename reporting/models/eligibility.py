"""Stored eligibility facts and where each is seen (SPEC §4 R1–R4, §8)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import scope


class EligibilityFactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The facts of the people with an investment the user may see, through their stored
        routes (an indexed filter of a small table, not a join of the whole ledger)."""
        allowed = scope(user, institution="institution_id", office="office_id")
        if not allowed:  # HQ: every person (a fact exists only for people with an investment)
            return self.all()
        return self.filter(person_id__in=EligibilityRoute.objects.filter(allowed).values("fact_id"))


class EligibilityFact(models.Model):
    """One person's eligibility as the rules answer it (SPEC §4 R1–R4, §8), stored so that the
    dashboards and the F-5 pipeline read it with an indexed query instead of running the rules
    over the whole ledger on every load. Officers and HQ see a person whole, so the fact is the
    person's across every institution; the investor page and the what-if still compute live.

    Kept current by ``reporting.eligibility_store``: marked ``stale`` in the transaction of any
    ledger change touching the person and recomputed after it commits (readers recompute stale
    rows first), refreshed nightly for what the passing days change, and recomputed in full when
    rules, settings or holidays change."""

    person = models.OneToOneField(
        "investments.Person", models.CASCADE, primary_key=True, related_name="eligibility"
    )
    investor = models.ForeignKey(
        "investments.Investor", models.CASCADE, null=True, related_name="+"
    )  # the client record of the person's first investment
    office = models.ForeignKey(
        "portal.Office", models.SET_NULL, null=True, related_name="+"
    )  # where the person applies (R6, seed §6.F, §7.A): the live answer's application_office
    as_of = models.DateField(null=True)
    computed_at = models.DateTimeField(null=True)
    stale = models.BooleanField(default=True)
    qualifies_for = models.CharField(max_length=32, blank=True)
    held_krw = models.BigIntegerField(default=0)
    on_track = models.BooleanField(default=False)
    eligible_on = models.DateField(null=True)
    code = models.CharField(max_length=16, blank=True)
    counted_days = models.IntegerField(default=0)
    required_days = models.IntegerField(default=0)
    f2_since = models.DateField(null=True)
    permanent = models.BooleanField(default=False)  # already holds an F-5 grant
    at_risk = models.BooleanField(default=False)
    # Why at risk, kept as data so the page says it in the reader's language.
    risk_kind = models.CharField(max_length=16, blank=True)  # stalled / recovery / lapse
    risk_on = models.DateField(null=True)
    risk_amount_krw = models.BigIntegerField(null=True)
    risk_detail = models.CharField(max_length=500, blank=True)
    institutions = models.JSONField(default=list)

    objects = EligibilityFactQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility fact")
        verbose_name_plural = _("eligibility facts")
        indexes = [
            models.Index(fields=["office", "eligible_on"]),
            models.Index(fields=["eligible_on"]),
            models.Index(fields=["stale"], condition=Q(stale=True), name="eligibility_stale"),
        ]

    def __str__(self):
        return f"{self.person_id}: {self.eligible_on}"


class EligibilityRoute(models.Model):
    """Where a stored fact is seen: one row per (competent office, recording institution) of
    the person's investments, written with the fact, so that an officer's or an institution's
    scope is an indexed filter of this table (``EligibilityFact.objects.visible_to``)."""

    fact = models.ForeignKey(EligibilityFact, models.CASCADE, related_name="routes")
    office = models.ForeignKey("portal.Office", models.CASCADE, related_name="+")
    institution = models.ForeignKey("portal.Organisation", models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("eligibility route")
        verbose_name_plural = _("eligibility routes")
        constraints = [
            models.UniqueConstraint(
                fields=["fact", "office", "institution"], name="eligibility_route_unique"
            )
        ]
        indexes = [
            models.Index(fields=["office", "fact"]),
            models.Index(fields=["institution", "fact"]),
        ]

    def __str__(self):
        return f"{self.fact_id}: {self.office_id}/{self.institution_id}"
