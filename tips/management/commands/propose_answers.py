from django.core.management.base import BaseCommand

from objects.models import TraceObject
from tips.services import answers_recompute


class Command(BaseCommand):
    help = (
        "Propose the answers (and detect the languages) of tips stored before answers were "
        "proposed, object by object, oldest tip first. New tips get theirs as they arrive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--object", type=int, help="Only this object (its id).")

    def handle(self, *args, object=None, **opts):
        objects = TraceObject.objects.order_by("pk")
        if object:
            objects = objects.filter(pk=object)
        for obj in objects:
            done = answers_recompute(obj=obj)
            self.stdout.write(f"{obj.reference}: {done} tips proposed again")
