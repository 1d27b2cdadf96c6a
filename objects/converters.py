from objects.models import REFERENCE_PREFIX, format_reference


class ReferenceConverter:
    """URLs carry the public reference (TAO-0042); views receive the number (42)."""

    regex = REFERENCE_PREFIX + r"[0-9]{4,9}"

    def to_python(self, value: str) -> int:
        return int(value[len(REFERENCE_PREFIX) :])

    def to_url(self, value: int) -> str:
        return format_reference(int(value))
