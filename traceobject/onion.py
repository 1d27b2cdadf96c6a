"""The onion service: which Tor circuit a request came on, and where the onion site is.

Behind a local `tor` every onion visitor's connection comes from the same address. Tor tells
the proxy each visitor's circuit instead (`HiddenServiceExportCircuitID haproxy`, deploy/torrc):
the PROXY protocol header it writes carries a source address in fc00:dead:beef:4dad::/96 whose
last 32 bits are the circuit's global identifier (`man tor`). The proxy (deploy/haproxy.cfg)
passes that address in TOR_CIRCUIT_HEADER on the onion port and deletes the header on every
other, so a client can never choose it; the app reads it only when TOR_CIRCUIT_HEADER is set.
The circuit is used only inside the rate-limit keys (tips/limits.py), which are keyed hashes
that expire with their window; it is never stored or logged.
"""

import ipaddress

from django.conf import settings

TOR_CIRCUIT_NETWORK = ipaddress.ip_network("fc00:dead:beef:4dad::/96")


def tor_circuit(request) -> int | None:
    """The global circuit identifier of an onion request, or None for any other request.

    None also when the header is not trusted (TOR_CIRCUIT_HEADER unset) or is not an address
    in Tor's range: then the request is limited like any other, by its address.
    """
    if not settings.TOR_CIRCUIT_META:
        return None
    value = request.META.get(settings.TOR_CIRCUIT_META, "")
    try:
        address = ipaddress.IPv6Address(value.strip())
    except ValueError:
        return None
    if address not in TOR_CIRCUIT_NETWORK:
        return None
    return int(address) & 0xFFFFFFFF


class OnionLocationMiddleware:
    """`Onion-Location` on public pages, so Tor Browser offers the onion site (ONION_ORIGIN).

    Not on back-office pages, not on the onion site itself (a request that came on a circuit or
    names the onion host), and not without ONION_ORIGIN.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origin = settings.ONION_ORIGIN
        if (
            origin
            and request.method in ("GET", "HEAD")
            and not request.path.startswith("/backoffice/")
            and response.get("Content-Type", "").startswith("text/html")
            and tor_circuit(request) is None
            and request.META.get("HTTP_HOST", "").partition(":")[0].lower() != settings.ONION_HOST
        ):
            response["Onion-Location"] = origin + request.get_full_path()
        return response
