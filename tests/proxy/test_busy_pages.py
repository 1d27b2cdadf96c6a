"""deploy/haproxy/busy.map: the proxy's busy page, one line per language, from the catalogues."""

import importlib.util

from django.conf import settings

from bench.nodes import BASE_DIR

MAP = BASE_DIR / "deploy/haproxy/busy.map"


def _renderer():
    spec = importlib.util.spec_from_file_location(
        "render_busy_pages", MAP.parent.parent / "render_busy_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_map_is_what_the_renderer_writes_from_the_catalogues():
    assert MAP.read_text() == _renderer().render(), (
        "run: python deploy/render_busy_pages.py > deploy/haproxy/busy.map"
    )


def test_the_map_has_one_page_per_language_with_its_direction():
    pages = {
        line.split(" ", 1)[0]: line.split(" ", 1)[1]
        for line in MAP.read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert list(pages) == [code for code, _ in settings.LANGUAGES]
    assert 'dir="rtl"' in pages["ar"] and 'dir="ltr"' in pages["en"]
    assert "Veuillez réessayer dans quelques minutes." in pages["fr"]
    assert all("<script" not in page and "http" not in page for page in pages.values())
