"""A legal hold's matter becomes a registered KEK column (``bytea`` Fernet token), so that key rotation
re-encrypts it. The token is the same: the text column held its ASCII form."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="legalhold", name="matter_encrypted", field=models.BinaryField(null=True)
        ),
        migrations.RunSQL(
            "UPDATE records_legalhold SET matter_encrypted = convert_to(matter, 'UTF8')",
            "UPDATE records_legalhold SET matter = convert_from(matter_encrypted, 'UTF8')",
        ),
        migrations.RemoveField(model_name="legalhold", name="matter"),
        migrations.AlterField(model_name="legalhold", name="matter_encrypted", field=models.BinaryField()),
    ]
