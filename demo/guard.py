from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(
    command: str, reason: str = "demo data must not reach a real site"
) -> None:
    """Stop a demo command unless the settings say development (DEBUG) or a demo site (DEMO_APP)."""
    if not (settings.DEBUG or settings.DEMO_APP):
        raise CommandError(
            f"{command} only runs in development ({reason}): DEBUG and DEMO_APP are both off, "
            "as in production. Set DEBUG=1, or DEMO_APP=1 for a demo or benchmark site."
        )
