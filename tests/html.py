"""Read tags out of rendered HTML, so tests assert attributes rather than exact markup."""

from html.parser import HTMLParser


class _Tags(HTMLParser):
    def __init__(self, name):
        super().__init__()
        self.name, self.found = name, []

    def handle_starttag(self, tag, attrs):
        if tag == self.name:
            self.found.append(dict(attrs))


def tags(html: str, name: str) -> list[dict]:
    parser = _Tags(name)
    parser.feed(html)
    return parser.found


class _Attributed(HTMLParser):
    def __init__(self, attribute):
        super().__init__()
        self.attribute, self.found = attribute, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.attribute in attrs:
            self.found.append((tag, attrs))


def tags_with(html: str, attribute: str) -> list[tuple[str, dict]]:
    """(tag name, attributes) of every start tag that carries `attribute`, in document order."""
    parser = _Attributed(attribute)
    parser.feed(html)
    return parser.found
