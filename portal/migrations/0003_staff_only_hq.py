"""Only HQ administrators are staff (portal.access.may_use_admin): clear the flag on every
other account, which earlier demo databases marked staff."""

from django.db import migrations
from django.db.models import Q


def clear_staff(apps, schema_editor):
    User = apps.get_model("portal", "User")
    hq = Q(organisation__kind="hq") | Q(is_superuser=True, organisation__isnull=True)
    User.objects.filter(is_staff=True).exclude(hq).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_api_integrations")]

    operations = [migrations.RunPython(clear_staff, migrations.RunPython.noop)]
