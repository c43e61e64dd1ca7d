"""A bounded load test: N concurrent readers (default 50) for a while (default 60 s)
over a realistic mix of pages, exports, feeds and PDFs, some of them revalidating
with If-None-Match as browsers and calendar applications do. Loopback only.

Without --url it starts its own gunicorn (2 workers, DEBUG=False) on a random port;
with --url it loads a server already running on this machine. Exits with status 1
on any error (a status other than 200/304, a refused or dropped connection).
"""
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from plans.models import WorkPlan
from sodertorn import loadgen

# What the public reads, weighted: mostly the current plan, the calendar and its feeds.
MIX = [
    loadgen.Request("/", weight=6),
    loadgen.Request("/planer/", weight=2),
    loadgen.Request("/planer/2019/", weight=10),
    loadgen.Request("/planer/2019/", weight=4, revalidate=True),
    loadgen.Request("/planer/2017/", weight=3),
    loadgen.Request("/planer/2019/handlingsplan/", weight=4),
    loadgen.Request("/planer/2019/handlingsplan/?_export=csv", weight=1),
    loadgen.Request("/planer/2019/pdf/", weight=2),
    loadgen.Request("/planer/2017/pdf/", weight=1),
    loadgen.Request("/program/sup-2013/", weight=2),
    loadgen.Request("/natverk/", weight=2),
    loadgen.Request("/kalender/", weight=4),
    loadgen.Request("/kalender/2019/", weight=2),
    loadgen.Request("/kalender.ics", weight=4, revalidate=True),
    loadgen.Request("/kalender/ledningsgruppen.ics", weight=2, revalidate=True),
    loadgen.Request("/budget/2019/", weight=2),
    loadgen.Request("/budget/2019/avgifter/", weight=2),
    loadgen.Request("/budget/2017/avgifter/huddinge/pdf/", weight=1),
]


class Command(BaseCommand):
    help = "Belastningstest: samtidiga läsare mot en blandning av sidor, PDF:er och kalenderflöden (bara mot den här datorn)."

    def add_arguments(self, parser):
        parser.add_argument("--readers", type=int, default=50, help="samtidiga läsare (standard 50)")
        parser.add_argument("--seconds", type=float, default=60.0, help="hur länge (standard 60)")
        parser.add_argument("--url", help="en redan startad server, t.ex. http://127.0.0.1:8123 (bara loopback)")
        parser.add_argument("--cold", action="store_true", help="utan att först hämta varje adress en gång")

    def handle(self, *args, readers, seconds, url=None, cold=False, **options):
        self.cold = cold
        if not 1 <= readers <= 200:
            raise CommandError("--readers ska vara mellan 1 och 200.")
        if not 0 < seconds <= 600:
            raise CommandError("--seconds ska vara mellan 0 och 600.")
        if url:
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname:
                raise CommandError("--url ska vara http://127.0.0.1:<port>.")
            try:
                loadgen.require_loopback(parts.hostname)
            except loadgen.NotLoopback as error:
                raise CommandError(str(error)) from error
            self._run(parts.hostname, parts.port or 80, readers, seconds)
            return
        if not WorkPlan.objects.filter(year=2019).exists():
            raise CommandError("Seed-data saknas: kör `python manage.py load_seed` först.")
        with loadgen.gunicorn() as (host, port):
            self._run(host, port, readers, seconds)

    def _run(self, host, port, readers, seconds):
        if not self.cold:
            # A deployed site's caches are warm; the first visit to each address is not the
            # steady state this test measures (PDFs of plans for decision are rendered ahead).
            for request in MIX:
                loadgen.fetch(host, port, request.path)
        self.stdout.write(f"{readers} läsare i {seconds:.0f} s mot http://{host}:{port}/ ({len(MIX)} adresser)")
        result = loadgen.run_load(host, port, MIX, duration=seconds, concurrency=readers)
        self.stdout.write(loadgen.summary(result))
        self.stdout.write("Statuskoder: " + ", ".join(f"{code}: {n}" for code, n in sorted(result.statuses.items())))
        if result.error_count:
            for what, n in result.errors.most_common(10):
                self.stdout.write(f"  fel: {what} ×{n}")
            raise CommandError(f"{result.error_count} fel.")
        self.stdout.write("Inga fel.")
