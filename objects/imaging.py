"""The image pipeline: an uploaded original in, public derivatives with no metadata out.

Everything that decodes an untrusted image lives here, so the limits are applied in one place:
the byte cap before decoding, Pillow's pixel cap (decompression bombs), the allowed formats
decided by content and not by file name, and the re-encoding from bare pixels that leaves
every byte of EXIF, GPS, XMP, IPTC, ICC and comments behind.

An editor's crop and redaction rectangles are applied by `render_edited`, which both the
admin's preview and the published derivatives call, so what the editor previews is what the
public gets. Coordinates are in pixels of the original as displayed (EXIF orientation applied).

Policies:
- Animated images (animated WebP, APNG, multi-page TIFF) are refused: a derivative of the first
  frame would silently drop frames the editor never reviewed. A HEIC/HEIF file holding several
  images (bursts) uses its primary image, which is what the phone shows.
- CMYK and 16-bit images are converted to 8-bit sRGB; an embedded ICC profile is honoured with
  ImageCms; a profile that cannot be read is ignored rather than failing the upload.
"""

import hashlib
import io
import math
import warnings
from dataclasses import dataclass, field

import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# Decompression bombs: refuse anything over 40 megapixels instead of Pillow's warning at 89.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Formats accepted as originals, by what Pillow detects from the bytes: format -> extension.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "TIFF": "tif", "HEIF": "heic"}
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
    "HEIF": "image/heic",
}

# Derivatives written for every image: (role, width in pixels). Never upscaled: an original
# narrower than a width gives that role its own width.
RENDITIONS = (("thumb", 400), ("large", 800), ("full", 1600))
# (format, Pillow save options, extension). JPEG is the fallback every browser shows; WebP is
# what browsers pick from <picture>. AVIF was measured (bench/imaging.py) and left out: for the
# demo gallery it was larger than WebP at comparable quality and ten times slower to encode.
FORMATS = (
    ("webp", {"format": "WEBP", "quality": 72, "method": 4}, "webp"),
    (
        "jpeg",
        {"format": "JPEG", "quality": 78, "optimize": True, "progressive": True, "subsampling": 2},
        "jpg",
    ),
)
# The folder of every derivative, in private storage (under the preview prefix) and in public.
DERIVATIVE_FOLDER = "objects"
# Preview shown to the editor while cropping and redacting.
PREVIEW_WIDTH = 1200

# Pixelation: at most this many blocks along a rectangle's longer side, and no block smaller
# than this fraction of the image's longer side, so nothing inside can be reconstructed.
PIXELATE_MAX_BLOCKS = 6
PIXELATE_MIN_BLOCK_FRACTION = 1 / 40
SOLID_FILL = (0, 0, 0)


NOT_AN_IMAGE = gettext_lazy("The file is not an image, or its format is not recognised.")
DAMAGED = gettext_lazy("The image is damaged or incomplete and cannot be read.")
TOO_MANY_PIXELS = gettext_lazy("The image has too many pixels (more than %(mp)d megapixels).")


class ImageRejected(ValueError):
    """The file is not an image we accept; the message is safe to show to the editor."""


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.x + self.width, self.y + self.height)


@dataclass(frozen=True)
class Redaction(Rect):
    style: str = "solid"  # "solid" or "pixelate"

    STYLES = ("solid", "pixelate")


@dataclass(frozen=True)
class Edit:
    """An editor's crop (None: the whole image) and redaction rectangles, in original pixels."""

    crop: Rect | None = None
    redactions: tuple[Redaction, ...] = ()

    @classmethod
    def from_dict(cls, data: dict | None) -> "Edit":
        data = data or {}
        crop = data.get("crop")
        return cls(
            crop=Rect(**crop) if crop else None,
            redactions=tuple(Redaction(**r) for r in data.get("redactions", ())),
        )

    def to_dict(self) -> dict:
        return {
            "crop": None if self.crop is None else _rect_dict(self.crop),
            "redactions": [{**_rect_dict(r), "style": r.style} for r in self.redactions],
        }


def _rect_dict(rect: Rect) -> dict:
    return {"x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height}


def validate_edit(edit: Edit, *, size: tuple[int, int]) -> None:
    """Raise ImageRejected unless every rectangle lies inside an image of this size."""
    width, height = size
    rects = [("crop", edit.crop)] if edit.crop else []
    rects += [("redaction", r) for r in edit.redactions]
    for kind, rect in rects:
        if rect.width < 1 or rect.height < 1 or rect.x < 0 or rect.y < 0:
            raise ImageRejected(_("A %(kind)s rectangle needs a positive size.") % {"kind": kind})
        if rect.x + rect.width > width or rect.y + rect.height > height:
            raise ImageRejected(
                _("The %(kind)s rectangle goes past the image (%(w)d × %(h)d pixels).")
                % {"kind": kind, "w": width, "h": height}
            )
    for redaction in edit.redactions:
        if redaction.style not in Redaction.STYLES:
            raise ImageRejected(_("Unknown redaction style."))


@dataclass
class Derivative:
    role: str
    content: bytes
    width: int
    height: int
    format: str = "jpeg"
    ext: str = "jpg"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def name(self) -> str:
        # Named by content so the file can be cached forever and never collides.
        return f"{DERIVATIVE_FOLDER}/{self.sha256[:2]}/{self.sha256[:32]}-{self.width}w.{self.ext}"


@dataclass
class ProcessedImage:
    original: bytes
    original_ext: str
    derivatives: list[Derivative] = field(default_factory=list)
    format: str = "JPEG"
    width: int = 0  # of the original, orientation applied
    height: int = 0
    edit: Edit = field(default_factory=Edit)

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
        raise ImageRejected(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise ImageRejected(_("The file is empty."))
    return data


@dataclass
class _Decoded:
    image: Image.Image  # RGB, sRGB, orientation applied, possibly scaled down
    format: str
    size: tuple[int, int]  # full size of the original, orientation applied

    @property
    def scale(self) -> tuple[float, float]:
        return (self.image.width / self.size[0], self.image.height / self.size[1])


def _oriented_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(0x0112, 1)
    width, height = image.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _decode(data: bytes, *, need: tuple[int, int] | None = None) -> _Decoded:
    """Decode untrusted bytes into an sRGB RGB image, orientation applied.

    `need` is the smallest size (in pixels of the full, oriented image) that the caller will use;
    a JPEG is then decoded at 1/2, 1/4 or 1/8 scale by the decoder itself (draft mode) and other
    formats are reduced right after decoding, so a 24-megapixel photo never costs full memory
    for a 1600-pixel derivative.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise ImageRejected(
                    _(
                        "%(format)s files are not accepted; "
                        "upload a JPEG, PNG, WebP, TIFF or HEIC image."
                    )
                    % {"format": fmt}
                )
            if fmt != "HEIF" and getattr(probe, "is_animated", False):
                raise ImageRejected(
                    _(
                        "Animated images and multi-page files are not accepted; "
                        "save the frame you want as a still image."
                    )
                )
            probe.verify()  # structural check; the image must be reopened afterwards
            image = Image.open(io.BytesIO(data))
            full = _oriented_size(image)
            if need and fmt == "JPEG":
                factor = max(need[0] / full[0], need[1] / full[1])
                if factor < 1:
                    raw = image.size
                    image.draft(
                        image.mode, (math.ceil(raw[0] * factor), math.ceil(raw[1] * factor))
                    )
            image.load()  # a truncated file fails here, not later while resizing
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(str(TOO_MANY_PIXELS) % {"mp": MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, SyntaxError):
        raise ImageRejected(str(NOT_AN_IMAGE)) from None
    except (OSError, ValueError, EOFError, RuntimeError):
        raise ImageRejected(str(DAMAGED)) from None
    if need:
        # Formats without draft mode: shrink by a whole factor before any per-pixel work.
        now = _oriented_size(image)
        factor = min(now[0] // max(need[0], 1), now[1] // max(need[1], 1))
        if factor >= 2 and image.mode not in ("P", "1"):
            image = _reduce(image, factor)
    try:
        image = ImageOps.exif_transpose(image)
        image = _to_srgb(image)
    except (OSError, ValueError) as exc:
        raise ImageRejected(str(DAMAGED)) from exc
    return _Decoded(image=image, format=fmt, size=full)


def _reduce(image: Image.Image, factor: int) -> Image.Image:
    """Shrink by an integer factor, keeping the info (EXIF orientation, ICC) for what follows."""
    info = dict(image.info)
    exif = image.getexif()
    try:
        reduced = image.reduce(factor)
    except ValueError:  # modes reduce() does not support (e.g. I;16): resize later instead
        return image
    reduced.info.update(info)
    if exif:
        reduced.info["exif"] = exif.tobytes()
    return reduced


def open_image(data: bytes) -> tuple[Image.Image, str]:
    """Decode untrusted bytes fully and return (RGB image with orientation applied, format)."""
    decoded = _decode(data)
    return decoded.image, decoded.format


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """8-bit RGB in sRGB: ICC profile honoured, CMYK and 16-bit converted, alpha on white."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit greyscale: scale to 8 bits (convert("L") would clip everything above 255).
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.point(lambda v: v * 255 if v <= 1 else v).convert("L")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L", "LA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
            base = image.convert("L") if image.mode == "LA" else image
            base = base.convert("RGB") if base.mode == "RGBA" else base
            converted = ImageCms.profileToProfile(base, source, _SRGB, outputMode="RGB")
            if converted is not None:
                if alpha is not None:
                    converted.putalpha(alpha)
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: fall back to treating the pixels as sRGB
    return _to_rgb(image)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def bare_pixels(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no info dict, no EXIF, no ICC profile, nothing."""
    return Image.frombytes("RGB", image.size, image.tobytes())


def _scaled_box(rect: Rect, scale: tuple[float, float], limit: tuple[int, int]):
    """A rectangle in original pixels as a box in the decoded image, rounded outwards."""
    sx, sy = scale
    return (
        max(0, math.floor(rect.x * sx)),
        max(0, math.floor(rect.y * sy)),
        min(limit[0], math.ceil((rect.x + rect.width) * sx)),
        min(limit[1], math.ceil((rect.y + rect.height) * sy)),
    )


def pixelate_block(redaction: Rect, *, size: tuple[int, int]) -> int:
    """Block edge in original pixels for a pixelated rectangle in an image of this size."""
    return max(
        math.ceil(max(redaction.width, redaction.height) / PIXELATE_MAX_BLOCKS),
        math.ceil(max(size) * PIXELATE_MIN_BLOCK_FRACTION),
        8,
    )


def _apply_edit(decoded: _Decoded, edit: Edit) -> Image.Image:
    image = decoded.image.copy()
    scale = decoded.scale
    for redaction in edit.redactions:
        box = _scaled_box(redaction, scale, image.size)
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        if redaction.style == "pixelate":
            block = pixelate_block(redaction, size=decoded.size) * scale[0]
            region = image.crop(box)
            blocks = (
                max(1, math.ceil(region.width / block)),
                max(1, math.ceil(region.height / block)),
            )
            small = region.resize(blocks, Image.Resampling.BOX)
            image.paste(small.resize(region.size, Image.Resampling.NEAREST), box[:2])
        else:
            image.paste(SOLID_FILL, box)
    if edit.crop:
        image = image.crop(_scaled_box(edit.crop, scale, image.size))
    return image


def _edited_size(size: tuple[int, int], edit: Edit) -> tuple[int, int]:
    return (edit.crop.width, edit.crop.height) if edit.crop else size


def _need(size: tuple[int, int], edit: Edit, width: int) -> tuple[int, int]:
    """The full-image size at which the (cropped) result is at least `width` pixels wide."""
    crop_w, _crop_h = _edited_size(size, edit)
    factor = min(1.0, width / crop_w)
    return (math.ceil(size[0] * factor), math.ceil(size[1] * factor))


def render_edited(data: bytes, *, edit: Edit, width: int) -> tuple[Image.Image, _Decoded]:
    """Decode, redact and crop; the result is at least `width` wide unless the crop is smaller.

    The one place where an edit becomes pixels: the preview and the derivatives both call it.
    """
    probe = _probe_size(data)
    validate_edit(edit, size=probe)
    decoded = _decode(data, need=_need(probe, edit, width))
    return _apply_edit(decoded, edit), decoded


def _probe_size(data: bytes) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _oriented_size(Image.open(io.BytesIO(data)))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(str(TOO_MANY_PIXELS) % {"mp": MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, SyntaxError):
        raise ImageRejected(str(NOT_AN_IMAGE)) from None
    except (OSError, ValueError, EOFError):
        raise ImageRejected(str(DAMAGED)) from None


def _resize(image: Image.Image, width: int, *, aspect: float | None = None) -> Image.Image:
    """Scale to `width` (never up); `aspect` (height / width) of the full-scale image keeps
    heights the same whichever size a smaller rendition is made from."""
    if image.width <= width:
        return image
    height = max(1, round(width * (aspect or image.height / image.width)))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(image: Image.Image, fmt: str) -> bytes:
    """Re-encode bare pixels: nothing from the original's headers can come along."""
    options = next(opts for name, opts, _ext in FORMATS if name == fmt)
    out = io.BytesIO()
    bare_pixels(image).save(out, **options)
    return out.getvalue()


def render_derivatives(image: Image.Image, *, full_width: int | None = None) -> list[Derivative]:
    """Every size in every format; `full_width` is the width the edit would have at full scale.

    The image may be a reduced decode: a role is never wider than the full-scale result.
    """
    full_width = full_width or image.width
    aspect = image.height / image.width
    derivatives = []
    source = image
    done: dict[tuple[int, int], list[Derivative]] = {}
    # Largest first, each size made from the previous one: cheaper and as sharp.
    for role, width in sorted(RENDITIONS, key=lambda r: -r[1]):
        target = min(width, full_width)
        resized = _resize(source, target, aspect=aspect)
        source = resized
        key = resized.size
        if key not in done:
            done[key] = [
                Derivative(
                    role=role,
                    content=encode(resized, name),
                    width=resized.width,
                    height=resized.height,
                    format=name,
                    ext=ext,
                )
                for name, _opts, ext in FORMATS
            ]
        for item in done[key]:
            derivatives.append(
                Derivative(
                    role=role,
                    content=item.content,
                    width=item.width,
                    height=item.height,
                    format=item.format,
                    ext=item.ext,
                )
            )
    order = {role: i for i, (role, _w) in enumerate(RENDITIONS)}
    derivatives.sort(key=lambda d: (order[d.role], d.format != "webp"))
    return derivatives


def render_preview(data: bytes, *, edit: Edit, width: int = PREVIEW_WIDTH) -> bytes:
    """The editor's preview: the same pixels as the published derivatives, as a JPEG."""
    image, decoded = render_edited(data, edit=edit, width=width)
    full_width = _edited_size(decoded.size, edit)[0]
    return encode(_resize(image, min(width, full_width)), "jpeg")


def render_source(data: bytes, *, width: int = PREVIEW_WIDTH) -> tuple[bytes, tuple[int, int]]:
    """The unedited original, oriented and scaled for the editor's canvas (staff only)."""
    image, decoded = render_edited(data, edit=Edit(), width=width)
    return encode(_resize(image, min(width, decoded.size[0])), "jpeg"), decoded.size


def process_original(data: bytes, *, edit: Edit | None = None) -> ProcessedImage:
    """Derivatives of already-read original bytes, with the edit applied. Raises ImageRejected."""
    edit = edit or Edit()
    largest = max(width for _role, width in RENDITIONS)
    image, decoded = render_edited(data, edit=edit, width=largest)
    derivatives = render_derivatives(image, full_width=_edited_size(decoded.size, edit)[0])
    return ProcessedImage(
        original=data,
        original_ext=ALLOWED_FORMATS[decoded.format],
        derivatives=derivatives,
        format=decoded.format,
        width=decoded.size[0],
        height=decoded.size[1],
        edit=edit,
    )


def check_upload(fileobj) -> None:
    """Refuse an upload that is not an acceptable, intact still image (ImageRejected).

    The whole file is decoded (a truncated or hostile file fails here) but no derivative is
    made: forms call this, and the service processes the upload once the form is valid.
    """
    _decode(read_upload(fileobj), need=(1, 1))


def process_upload(fileobj, *, edit: Edit | None = None) -> ProcessedImage:
    """Validate an uploaded original and make its derivatives. Raises ImageRejected."""
    return process_original(read_upload(fileobj), edit=edit)
