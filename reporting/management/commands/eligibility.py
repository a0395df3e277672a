from datetime import date

from django.core.management.base import BaseCommand, CommandError

from investments.models import Investor
from portal.models import User
from reporting import eligibility


class Command(BaseCommand):
    help = (
        "Explain what an investor qualifies for and when F-5 comes (SPEC R1–R5), as HQ sees "
        "it: every investment of the person combined."
    )

    def add_arguments(self, parser):
        parser.add_argument("investor_id", type=int)
        parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
        parser.add_argument("--recover-krw", type=int)
        parser.add_argument("--recover-on", type=date.fromisoformat)

    def handle(self, investor_id, as_of, recover_krw, recover_on, **options):
        investor = Investor.objects.filter(pk=investor_id).first()
        if investor is None:
            raise CommandError(f"No investor #{investor_id}.")
        hq = User(is_superuser=True)  # HQ's view, without an account
        what_if = eligibility.what_if_for(
            investor, user=hq, recover_krw=recover_krw, recover_on=recover_on
        )
        answer = eligibility.evaluate(investor, user=hq, as_of=as_of, what_if=what_if)
        f5 = answer["f5"]
        self.stdout.write(f"{investor.full_name} ({investor.nationality}) as of {as_of}")
        self.stdout.write(f"  qualifies for: {answer['qualifies_for'] or 'nothing'}")
        self.stdout.write(
            f"  minimum: KRW {answer['minimum_krw'] or 0:,}; held KRW {answer['held_krw']:,}"
        )
        if f5["eligible_on"]:
            self.stdout.write(
                f"  F-5 ({f5['code']}): eligible on {f5['eligible_on']}, "
                f"{f5['days_remaining']} days remaining, {f5['counted_days']} days counted"
            )
        else:
            self.stdout.write("  F-5: not on track")
        for interval in f5["intervals"]:
            self.stdout.write(f"    counted {interval['start']} – {interval['end'] or '…'}")
        if what_if:
            report = answer["what_if"]["report"]
            self.stdout.write(
                f"  what-if: recovering KRW {recover_krw:,} on {recover_on} requires a "
                f"withdrawal report to {report['recipient_office']} by {report['due_on']}"
            )
        self.stdout.write("  reasons:")
        for reason in answer["reasons"]:
            self.stdout.write(f"    [{reason['rule']}] {reason['text']} ({reason['source']})")
