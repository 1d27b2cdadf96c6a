import io
import secrets
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.art import DEMO_CATEGORIES, DEMO_OBJECTS, draw
from demo.guard import refuse_in_production
from demo.texts import demo_pages, demo_translations
from objects import imaging, services
from objects.models import Category, CategoryTranslation, TraceObject, TraceObjectTranslation
from tips import services as tip_services
from tips.models import Tip

# Demo objects are recognised by this internal marker, so a second run adds nothing.
DEMO_MARKER = "demo:"

# (text, country, place, language): some say the same thing in other words, as real tips do.
DEMO_TIPS = [
    (
        "I am quite sure I saw this {title} at a market stall in Utrecht last spring.",
        "NL",
        "Saturday market, Vredenburg",
        "en",
    ),
    (
        "Saw the same {title} at the Utrecht market on a Saturday, near the station.",
        "NL",
        "Vredenburg market",
        "en",
    ),
    (
        "Ich habe das in einem Supermarkt in Köln gesehen, im Regal bei der Kasse.",
        "DE",
        "Supermarkt, Köln-Ehrenfeld",
        "de",
    ),
    ("This is sold in souvenir shops along the harbour in Porto.", "PT", "Ribeira", "en"),
    (
        "Je crois l'avoir vu dans un hôtel à Lyon, dans les chambres du deuxième étage.",
        "FR",
        "Hôtel près de Part-Dieu",
        "fr",
    ),
    ("My cousin has one exactly like it; she bought it online, I can ask where.", "", "", "en"),
    ("buy cheap watches at example dot com", "", "", "en"),
    (
        "Lo venden en una tienda de regalos en Valencia, cerca de la playa.",
        "ES",
        "Tienda de regalos, Malvarrosa",
        "es",
    ),
]


# A flood on two objects, as on a busy first day: dozens of tips in several languages, most
# naming one of two or three shops (with typos, inflections and other spellings), some vague or
# off-topic, and one naming two shops. (text, place, country, page language)
DEMO_FLOODS = [
    [
        ("Kupiłam taki sam w Biedronce w zeszłym roku", "", "PL", "pl"),
        ("biedronka", "", "", "pl"),
        ("This is from Biedronka, the Polish supermarket chain.", "", "PL", "en"),
        ("Das gab es bei Biedronka in Polen, meine Schwester hat es dort gekauft.", "", "", "de"),
        ("Widziałam w Biedronce, była promocja", "Biedronka", "PL", "pl"),
        ("Biedronki miały to w gazetce w marcu", "", "", "pl"),
        ("biedronka poland", "", "", "en"),
        ("Biedronkaa ;)", "", "", "pl"),
        ("Je l'ai vu chez Biedronka en Pologne pendant les vacances.", "", "", "fr"),
        ("Gezien bij de Biedronka in Gdańsk vorige zomer.", "", "", "nl"),
        ("Sklep na Kazimierzu", "Biedronka Kraków", "PL", "pl"),
        ("Lo vi en Biedronka en Varsovia.", "", "", "es"),
        ("W Biedronce przy dworcu", "", "PL", "pl"),
        ("Biedronka!!", "", "", "pl"),
        ("To jest z Pepco, moja mama ma taki sam", "", "PL", "pl"),
        ("pepco", "Pepco", "", "pl"),
        ("Lo vi en Pepco en Polonia.", "", "", "es"),
        ("Pepco sells these in Poland and Czechia.", "", "", "en"),
        ("W Żabce przy mojej ulicy sprzedają takie", "", "PL", "pl"),
        ("Żabka, na pewno", "", "", "pl"),
        ("Biedronka albo Pepco, w obu widziałam", "", "", "pl"),
        ("I have the same one at home!", "", "", "en"),
        ("Looks like something from a supermarket in Poland.", "", "", "en"),
        ("nie wiem, ale ładne", "", "", "pl"),
        ("buy cheap watches at example dot com", "", "", "en"),
    ],
    [
        ("Deze komt van de Hema, ik heb hem zelf.", "", "NL", "nl"),
        ("hema", "", "", "nl"),
        ("Sold at HEMA stores all over the Netherlands.", "HEMA", "NL", "en"),
        ("Das ist von Hema, gibt es auch in Deutschland.", "", "", "de"),
        ("Hema!! 2019 collectie", "", "", "nl"),
        ("Vendu chez Hema à Bruxelles, j'en suis sûre.", "", "BE", "fr"),
        ("Heema heeft ze", "", "", "nl"),
        ("de hema in Amsterdam noord verkocht ze vorig jaar", "", "", "nl"),
        ("Widziałam to w Hemie w Holandii", "", "", "pl"),
        ("Hoog Catharijne", "Hema Utrecht", "NL", "nl"),
        ("Bij de Action liggen precies deze.", "", "NL", "nl"),
        ("action", "", "", "nl"),
        ("I think it's from Action, the discount store.", "", "", "en"),
        ("Bei Action in Köln gesehen.", "", "DE", "de"),
        ("Vu chez Action à Lille.", "", "FR", "fr"),
        ("Kruidvat had deze in de aanbieding", "", "NL", "nl"),
        ("kruidvat", "", "", "nl"),
        ("Hema of Action, weet het niet zeker", "", "", "nl"),
        ("My neighbour has one like it.", "", "", "en"),
        ("mooi ding", "", "", "nl"),
    ],
]


class Command(BaseCommand):
    help = "Create demo categories and about 30 published objects with drawn images. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Create at most this many.")

    def handle(self, *args, limit=None, **opts):
        refuse_in_production("seed_demo")
        categories = {}
        for item in DEMO_CATEGORIES:
            categories[item["slug"]], _ = Category.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"], "order": item["order"]}
            )
        existing = set(
            TraceObject.objects.filter(case_reference__startswith=DEMO_MARKER).values_list(
                "case_reference", flat=True
            )
        )
        now = timezone.now()
        created = 0
        for item in DEMO_OBJECTS[:limit]:
            marker = DEMO_MARKER + item["key"]
            if marker in existing:
                continue
            png = io.BytesIO()
            draw(item["key"], width=1600, height=1200).save(png, "PNG")
            processed = imaging.process_upload(png)
            published_at = now - timedelta(days=item["days_ago"], hours=created)
            with transaction.atomic():
                obj = TraceObject(
                    category=categories[item["category"]],
                    title=item["title"],
                    question=item["question"],
                    description=item["description"],
                    alt_text=item["alt"],
                    case_reference=marker,
                    status=TraceObject.Status.PUBLISHED,
                    published_at=published_at,
                )
                if item["identified"]:
                    obj.status = TraceObject.Status.IDENTIFIED
                    obj.identified_at = min(now, published_at + timedelta(days=30))
                    obj.identification_note = item["identification_note"]
                services.object_save(obj=obj)
                image = services.object_image_add(obj=obj, processed=processed)
                # The demo art needs no crop or redaction: publish it as it is.
                services.object_image_edit(image=image, edit=imaging.Edit())
            created += 1
        total = TraceObject.objects.filter(case_reference__startswith=DEMO_MARKER).count()
        translated = self._translations(categories)
        pages = services.site_pages_add(pages=demo_pages())
        tips = self._demo_tips()
        self.stdout.write(
            f"Demo data: {created} objects created, {total} demo objects in all; "
            f"{translated} translations and {pages} site pages added; {tips} demo tips created."
        )

    def _translations(self, categories) -> int:
        """Every demo object's and category's texts in every other language (demo/texts.py),
        added where missing, through the services, so search and pages show them."""
        objects = {
            obj.case_reference.removeprefix(DEMO_MARKER): obj
            for obj in TraceObject.objects.filter(case_reference__startswith=DEMO_MARKER)
        }
        object_rows, category_rows = [], []
        for language, texts in demo_translations().items():
            for slug, name in texts["categories"].items():
                if slug in categories:
                    category_rows.append(
                        CategoryTranslation(category=categories[slug], language=language, name=name)
                    )
            for key, fields in texts["objects"].items():
                if key in objects:
                    object_rows.append(
                        TraceObjectTranslation(
                            trace_object=objects[key], language=language, **fields
                        )
                    )
        return services.category_translations_add(
            translations=category_rows
        ) + services.object_translations_add(translations=object_rows)

    def _demo_tips(self) -> int:
        """A flood on the two newest demo objects (DEMO_FLOODS), so the desk shows how it folds
        into a few leads, and a few tips on the next six, so the triage queue has work in it.

        Made once, through the same service as the public form, and only while the demo
        objects have no tips at all: a second run adds nothing.
        """
        demo = TraceObject.objects.published().filter(
            case_reference__startswith=DEMO_MARKER, status=TraceObject.Status.PUBLISHED
        )
        if Tip.objects.filter(trace_object__in=demo).exists():
            return 0
        made = 0
        newest = list(demo.order_by("-published_at")[:8])
        for obj, flood in zip(newest, DEMO_FLOODS, strict=False):
            for text, place, country, language in flood:
                tip_services.tip_create(
                    obj=obj,
                    body=text,
                    place=place,
                    country=country,
                    language=language,
                    submission_hash=secrets.token_hex(32),
                )
                made += 1
        for index, obj in enumerate(newest[len(DEMO_FLOODS) :]):
            for n, (text, country, place, language) in enumerate(DEMO_TIPS):
                if (index + n) % 2:  # a different mix of tips on each object
                    continue
                tip_services.tip_create(
                    obj=obj,
                    body=text.format(title=obj.title.lower()),
                    country=country,
                    place=place,
                    language=language,
                    submission_hash=secrets.token_hex(32),
                )
                made += 1
        return made
