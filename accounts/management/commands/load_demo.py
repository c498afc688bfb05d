from django.core.management.base import BaseCommand

from accounts import demo


class Command(BaseCommand):
    help = (
        "Load demonstration data: the demo users of each role, their agencies and whatever "
        "demo records the installed apps provide. Safe to run again: it updates what exists."
    )

    def handle(self, *args, **options):
        demo.load_all(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
