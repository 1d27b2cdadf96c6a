from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_public_media(request, path):
    """Serve public derivatives from the local folder (one-node setups; S3/CDN otherwise).

    Only the public media root is reachable here; originals live in another folder entirely.
    Derivative names carry a content hash, so they can be cached forever.
    """
    response = serve(request, path, document_root=str(settings.MEDIA_PUBLIC_ROOT))
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    return response
