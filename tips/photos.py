import io

from django.conf import settings

from objects import imaging


def sanitise_photo(upload) -> bytes:
    """A tipster's photo, decoded, turned upright and re-encoded from bare pixels as JPEG.

    Nothing of the uploaded file survives but its pixels: no EXIF (GPS, camera serial, time),
    XMP, IPTC, ICC profile, comment or embedded thumbnail. Raises imaging.ImageRejected.
    """
    data = imaging.read_upload(upload, max_bytes=settings.TIP_PHOTO_MAX_BYTES)
    image, _ = imaging.open_image(data)
    out = io.BytesIO()
    # Quality above the public derivatives': investigators may need the detail.
    imaging.bare_pixels(image).save(out, "JPEG", quality=88)
    return out.getvalue()
