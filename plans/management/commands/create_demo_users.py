import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from sodertorn.commands import refuse_in_production

DEMO_USERS = [
    # username, group, is_staff, is_superuser
    ("admin", None, True, True),
    ("kansliet", "Sekretariat", True, False),
    ("lasare", "Läsare", False, False),
]


class Command(BaseCommand):
    help = (
        "Skapar demokonton för utveckling och skriver ut deras lösenord. Ett konto som redan "
        "finns lämnas orört; --reset ger det ett nytt lösenord och dess demoroll."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Ge även befintliga demokonton nya lösenord (bin/run gör det vid varje start).")
        parser.add_argument("--force", action="store_true", help="Kör även när DEBUG=False (produktion).")

    def handle(self, *args, reset, force, **options):
        refuse_in_production("create_demo_users", force)
        User = get_user_model()
        self.stdout.write("Demokonton:")
        for username, group, is_staff, is_superuser in DEMO_USERS:
            role = "superanvändare" if is_superuser else group
            user = User.objects.filter(username=username).first()
            if user and not reset:
                self.stdout.write(f"  {username:10} (finns redan, lösenordet oförändrat; --reset ger ett nytt)")
                continue
            user = user or User(username=username)
            password = secrets.token_urlsafe(9)
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(password)
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            self.stdout.write(f"  {username:10} {password}   ({role})")
        self.stdout.write("Logga in på http://127.0.0.1:8000/admin/ eller http://127.0.0.1:8000/konto/logga-in/")
