from django.apps import AppConfig


class SchemaConfig(AppConfig):
    name = "schema"
    verbose_name = "OpenAPI schema"

    def ready(self):
        from schema import extensions  # noqa: F401  (registers drf-spectacular extensions)
