from django.db import migrations


def load_default_areas(apps, schema_editor):
    from alongside.core.taxonomy import DEFAULT_AREAS

    AreaOfConcern = apps.get_model("core", "AreaOfConcern")
    for position, (slug, name, name_es, children) in enumerate(DEFAULT_AREAS):
        parent, _ = AreaOfConcern.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_es": name_es, "position": position * 100}
        )
        for child_position, (child_slug, child_name, child_name_es) in enumerate(children, start=1):
            AreaOfConcern.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "name_es": child_name_es,
                    "parent": parent,
                    "position": position * 100 + child_position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_default_areas, migrations.RunPython.noop)]
