"""Seeded offices get their real names (api-contract.md v1.1): USCIS HART Service Center, ICE CCHT (HSI-led).

Only rows still carrying the earlier seed's name are changed, so an administrator's own edits are kept. The
office keeps its id, so referrals that name it keep naming it.
"""

from django.db import migrations

HART = "Humanitarian, Adjustment, Removing Conditions and Travel Documents (HART) Service Center"
OLD_HTVU = "Humanitarian, Adjustment, Removing Conditions and Travel Documents Division"
CCHT = "DHS Center for Countering Human Trafficking (HSI-led)"
OLD_CCHT = "DHS Center for Countering Human Trafficking"


def forwards(apps, schema_editor):
    Office = apps.get_model("agencies", "Office")
    if not Office.objects.filter(agency__code="USCIS", code="HART").exists():
        Office.objects.filter(agency__code="USCIS", code="HTVU", name=OLD_HTVU).update(code="HART", name=HART)
    Office.objects.filter(agency__code="ICE", code="CCHT", name=OLD_CCHT).update(name=CCHT)


def backwards(apps, schema_editor):
    Office = apps.get_model("agencies", "Office")
    Office.objects.filter(agency__code="USCIS", code="HART", name=HART).update(code="HTVU", name=OLD_HTVU)
    Office.objects.filter(agency__code="ICE", code="CCHT", name=CCHT).update(name=OLD_CCHT)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_client_private_key_jwt")]

    operations = [migrations.RunPython(forwards, backwards)]
