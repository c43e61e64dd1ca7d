import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

DEMO_USERS = [
    # username, group, is_staff, is_superuser
    ("admin", None, True, True),
    ("kansliet", "Sekretariat", True, False),
    ("lasare", "Läsare", False, False),
]


class Command(BaseCommand):
    help = "Skapar (eller återställer) demokonton för utveckling och skriver ut deras lösenord."

    def handle(self, *args, **options):
        User = get_user_model()
        self.stdout.write("Demokonton (nya lösenord vid varje start):")
        for username, group, is_staff, is_superuser in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(password)
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            role = "superanvändare" if is_superuser else group
            self.stdout.write(f"  {username:10} {password}   ({role})")
        self.stdout.write("Logga in på http://127.0.0.1:8000/admin/ eller http://127.0.0.1:8000/konto/logga-in/")
