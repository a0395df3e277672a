from django.db import migrations


def add_setting(apps, schema_editor):
    """A database already loaded gets the new rule setting with the value the notices had as
    a constant (F-5 column shown) and its source from seeds/rules.json; an empty one gets it
    from load_seeds."""
    import json
    from pathlib import Path

    RuleSetting = apps.get_model("investments", "RuleSetting")
    if not RuleSetting.objects.exists():
        return
    path = Path(__file__).resolve().parents[2] / "seeds" / "rules.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data["settings"]:
        if row["key"] == "notice_f5_column":
            RuleSetting.objects.get_or_create(
                key=row["key"],
                defaults={
                    "value": row["value"],
                    "description": row["description"],
                    "source": row["source"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("investments", "0008_status_rules_and_recovery_reasons")]

    operations = [migrations.RunPython(add_setting, migrations.RunPython.noop)]
