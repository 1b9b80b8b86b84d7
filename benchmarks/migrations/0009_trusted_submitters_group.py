from django.db import migrations

# The group's name is benchmarks.trust.TRUSTED_GROUP (copied: migrations must not import
# code that may change).
TRUSTED_GROUP = "Trusted submitters"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=TRUSTED_GROUP)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TRUSTED_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("benchmarks", "0008_approximate_help"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
