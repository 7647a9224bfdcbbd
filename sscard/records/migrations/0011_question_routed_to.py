"""A consultation question is routed to an employer's area: the employer asked for, or the asker's employer (their
open enrolment). Existing questions are routed the same way."""

import django.db.models.deletion
from django.db import migrations, models


def route_existing(apps, schema_editor):
    Question = apps.get_model("records", "Question")
    Enrolment = apps.get_model("records", "Enrolment")
    for question in Question.objects.filter(routed_to__isnull=True).select_related("asker").iterator():
        employer_id = question.employer_id
        if employer_id is None and getattr(question.asker, "id_number", ""):
            employer_id = (Enrolment.objects.filter(id_number=question.asker.id_number, end_month__isnull=True)
                           .order_by("-start_month", "-pk").values_list("employer_id", flat=True).first())
        if employer_id is not None:
            Question.objects.filter(pk=question.pk).update(routed_to_id=employer_id)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0010_authorisation_form_token'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='routed_to',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.employer'),
        ),
        migrations.RunPython(route_existing, migrations.RunPython.noop),
    ]
