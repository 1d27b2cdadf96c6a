"""The image pipeline: an uploaded original in, public derivatives with no metadata out.

Everything that decodes an untrusted image lives here, so the limits are applied in one place:
the byte cap before decoding, Pillow's pixel cap (decompression bombs), the allowed formats
decided by content and not by file name, and the re-encoding from bare pixels that leaves
every byte of EXIF, GPS, XMP, IPTC, ICC and comments behind.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

# Decompression bombs: refuse anything over 40 megapixels instead of Pillow's warning at 89.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Formats accepted as originals, by what Pillow detects from the bytes.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Derivatives written for every image: (role, longest width in pixels, JPEG quality).
RENDITIONS = (("thumb", 480, 80), ("large", 1200, 82), ("full", 2400, 85))


class ImageRejected(ValueError):
    """The file is not an image we accept; the message is safe to show to the editor."""


@dataclass
class Derivative:
    role: str
    content: bytes
    width: int
    height: int
    format: str = "jpeg"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def name(self) -> str:
        # Named by content so the file can be cached forever and never collides.
        return f"objects/{self.sha256[:2]}/{self.sha256[:32]}-{self.role}.jpg"


@dataclass
class ProcessedImage:
    original: bytes
    original_ext: str
    derivatives: list[Derivative] = field(default_factory=list)

    @property
    def original_sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()


def read_upload(fileobj, *, max_bytes: int | None = None) -> bytes:
    """Read at most max_bytes + 1 bytes, so a huge upload is refused without reading it all."""
    max_bytes = max_bytes or settings.IMAGE_UPLOAD_MAX_BYTES
    if getattr(fileobj, "seekable", lambda: False)():
        fileobj.seek(0)
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    if not data:
        raise ImageRejected("The file is empty.")
    return data


def open_image(data: bytes) -> tuple[Image.Image, str]:
    """Decode untrusted bytes fully and return (RGB image with orientation applied, format)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise ImageRejected(
                    f"{fmt or 'This'} files are not accepted; upload a JPEG, PNG or WebP image."
                )
            probe.verify()  # structural check; the image must be reopened afterwards
            image = Image.open(io.BytesIO(data))
            image.load()  # a truncated file fails here, not later while resizing
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            f"The image has too many pixels (more than {MAX_PIXELS // 1_000_000} megapixels)."
        ) from None
    except (UnidentifiedImageError, SyntaxError):
        raise ImageRejected("The file is not an image, or its format is not recognised.") from None
    except (OSError, ValueError, EOFError):
        raise ImageRejected("The image is damaged or incomplete and cannot be read.") from None
    image = ImageOps.exif_transpose(image)
    return _to_rgb(image), fmt


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return background
    return image.convert("RGB")


def _bare(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no info dict, no EXIF, no ICC profile, nothing."""
    return Image.frombytes("RGB", image.size, image.tobytes())


def render_derivatives(image: Image.Image) -> list[Derivative]:
    derivatives = []
    for role, max_width, quality in RENDITIONS:
        resized = image
        if image.width > max_width:  # never upscale
            height = round(image.height * max_width / image.width)
            resized = image.resize((max_width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        _bare(resized).save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        derivatives.append(
            Derivative(
                role=role, content=out.getvalue(), width=resized.width, height=resized.height
            )
        )
    return derivatives


def process_upload(fileobj) -> ProcessedImage:
    """Validate an uploaded original and make its derivatives. Raises ImageRejected."""
    data = read_upload(fileobj)
    image, fmt = open_image(data)
    return ProcessedImage(
        original=data,
        original_ext=ALLOWED_FORMATS[fmt],
        derivatives=render_derivatives(image),
    )
