"""``manage.py migrate`` as the schema owner (``DATABASE_OWNER_URL``; ``DATABASE_URL`` when unset).

Django's own command, run on a connection logged in as the owner; the migrations (and the grant after every
migrate, see ``audit.apps``) give the application role of ``DATABASE_URL`` only what it needs.
"""

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from referral_api.dbroles import owner_connection


class Command(DjangoMigrateCommand):
    help = DjangoMigrateCommand.help + " Connects as the schema owner (DATABASE_OWNER_URL, else DATABASE_URL)."

    def handle(self, *args, **options):
        with owner_connection(options["database"]):
            return super().handle(*args, **options)
