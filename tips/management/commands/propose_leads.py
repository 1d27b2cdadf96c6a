from django.core.management.base import BaseCommand

from objects.models import TraceObject
from tips.services import leads_recompute


class Command(BaseCommand):
    help = (
        "Propose the leads (and detect the languages) of tips stored before leads were "
        "proposed, object by object, oldest tip first. New tips get theirs as they arrive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--object", type=int, help="Only this object (its id).")

    def handle(self, *args, object=None, **opts):
        objects = TraceObject.objects.order_by("pk")
        if object:
            objects = objects.filter(pk=object)
        for obj in objects:
            done = leads_recompute(obj=obj)
            self.stdout.write(f"{obj.reference}: {done} tips proposed again")
