"""Duplicates are judged by the measurement, not the request: every stored run gets the
fingerprint of its measurement (results + the tool's own record of the execution), the
later copies of one measurement are flagged for a curator, and the fingerprint becomes
unique while the request hash stops being."""

from django.db import migrations, models


def fingerprint_runs(apps, schema_editor):
    from benchmarks.parsers import ParseError, parse
    from benchmarks.submission import VM_FIELDS, measurement_hash, normalized_identity

    Run = apps.get_model("benchmarks", "Run")
    Result = apps.get_model("benchmarks", "Result")
    rows: dict[int, list] = {}
    for run_id, metric, job, value, stddev, percentiles in Result.objects.values_list(
        "run_id", "metric__slug", "job", "value", "stddev", "percentiles"
    ).iterator():
        rows.setdefault(run_id, []).append((metric, job, value, stddev, percentiles or {}))
    seen: dict[str, int] = {}
    runs = Run.objects.select_related("benchmark", "platform", "release", "environment", "source")
    for run in runs.order_by("pk").iterator():
        if run.raw_format == "normalized":
            vm = {
                column: getattr(run, column)
                for column in VM_FIELDS.values()
                if getattr(run, column) not in (None, "")
            }
            identity = normalized_identity(
                platform=run.platform.slug,
                release=run.release.version,
                host=run.environment.fingerprint,
                vm=vm,
                source=run.source.key if run.source else "",
            )
        else:
            try:
                identity = parse(run.raw_format, run.raw_payload).identity
            except ParseError:
                identity = ""
        fingerprint = measurement_hash(run.benchmark.slug, rows.get(run.pk, []), identity)
        if fingerprint in seen:
            # A copy stored before measurements were compared: out of the charts, for review.
            run.measurement_hash = run.content_hash
            run.status = "flagged"
            run.status_reason = f"Same measurement as run {seen[fingerprint]} (found on upgrade)."
        else:
            seen[fingerprint] = run.pk
            run.measurement_hash = fingerprint
        run.save(update_fields=["measurement_hash", "status", "status_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0002_metric_ceiling"),
        ("comparisons", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="measurement_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(fingerprint_runs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="run",
            name="measurement_hash",
            field=models.CharField(
                max_length=64,
                unique=True,
                help_text="The measurement whatever wraps it: results and the tool's own record "
                "of the execution (benchmarks.submission.measurement_hash).",
            ),
        ),
        migrations.AlterField(
            model_name="run",
            name="content_hash",
            field=models.CharField(
                max_length=64,
                help_text="The request as sent (compared on an Idempotency-Key repeat).",
            ),
        ),
    ]
