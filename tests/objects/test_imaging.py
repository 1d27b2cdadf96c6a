import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageCms, ImageDraw, ImageOps, PngImagePlugin

from objects import imaging, services
from tests.factories import SENTINEL_GPS, SENTINEL_TEXT, make_category, make_image_bytes

# Bytes that betray metadata in a file: EXIF, XMP, ICC, IPTC (Photoshop), our sentinel,
# PNG text chunks and WebP's metadata chunks.
METADATA_MARKERS = [
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap",
    b"ICC_PROFILE",
    b"Photoshop 3.0",
    SENTINEL_TEXT.encode(),
    b"tEXt",
    b"iTXt",
    b"zTXt",
    b"EXIF",
    b"XMP ",
    b"ICCP",
]
QUADRANTS = {"tl": (220, 30, 30), "tr": (30, 200, 30), "bl": (30, 30, 220), "br": (250, 250, 250)}


def _assert_clean(content: bytes):
    for marker in METADATA_MARKERS:
        assert marker not in content, marker
    image = Image.open(io.BytesIO(content))
    assert image.format in {"JPEG", "WEBP"}
    assert not image.getexif()
    assert not set(image.info) & {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"}
    assert image.mode == "RGB"
    if image.format == "JPEG":
        # One image in the file: no embedded thumbnail (a second start-of-image marker).
        assert content.count(b"\xff\xd8\xff") == 1
        assert b"\xff\xfe" not in content.split(b"\xff\xda", 1)[0]  # no COM segment


def _process(data: bytes, edit=None) -> imaging.ProcessedImage:
    return imaging.process_upload(io.BytesIO(data), edit=edit)


def _decoded(derivative: imaging.Derivative) -> Image.Image:
    return Image.open(io.BytesIO(derivative.content)).convert("RGB")


def _close(a, b, tolerance=24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _quadrants(size=(600, 400)) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, w // 2 - 1, h // 2 - 1), fill=QUADRANTS["tl"])
    draw.rectangle((w // 2, 0, w - 1, h // 2 - 1), fill=QUADRANTS["tr"])
    draw.rectangle((0, h // 2, w // 2 - 1, h - 1), fill=QUADRANTS["bl"])
    draw.rectangle((w // 2, h // 2, w - 1, h - 1), fill=QUADRANTS["br"])
    return image


def _save(image: Image.Image, fmt="PNG", **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def _assert_quadrants(image: Image.Image):
    w, h = image.size
    for (x, y), name in {
        (w // 4, h // 4): "tl",
        (3 * w // 4, h // 4): "tr",
        (w // 4, 3 * h // 4): "bl",
        (3 * w // 4, 3 * h // 4): "br",
    }.items():
        assert _close(image.getpixel((x, y)), QUADRANTS[name]), (name, image.getpixel((x, y)))


# --- metadata ---------------------------------------------------------------------------------


def test_it_strips_gps_exif_icc_xmp_and_comments_from_jpeg():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{SENTINEL_TEXT}</x:xmpmeta>'.encode()
    data = make_image_bytes(gps=True, icc_profile=icc, xmp=xmp, comment=SENTINEL_TEXT.encode())
    upload = Image.open(io.BytesIO(data))
    assert upload.getexif().get_ifd(0x8825)  # the upload really carries GPS
    assert "icc_profile" in upload.info and SENTINEL_TEXT.encode() in data
    processed = _process(data)
    assert [(d.role, d.format) for d in processed.derivatives] == [
        ("thumb", "webp"),
        ("thumb", "jpeg"),
        ("large", "webp"),
        ("large", "jpeg"),
        ("full", "webp"),
        ("full", "jpeg"),
    ]
    for derivative in processed.derivatives:
        _assert_clean(derivative.content)


def test_it_strips_text_chunks_from_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SENTINEL_TEXT)
    info.add_itxt("XML:com.adobe.xmp", SENTINEL_TEXT)
    data = make_image_bytes("PNG", pnginfo=info)
    assert SENTINEL_TEXT.encode() in data
    for derivative in _process(data).derivatives:
        _assert_clean(derivative.content)


def test_it_strips_exif_and_gps_from_a_heic_from_a_phone():
    exif = Image.Exif()
    exif[0x010F] = SENTINEL_TEXT
    exif.get_ifd(0x8825).update({1: "N", 2: SENTINEL_GPS, 3: "E", 4: (4.0, 53.0, 40.0)})
    data = _save(_quadrants((800, 600)), "HEIF", exif=exif.tobytes(), quality=90)
    upload = Image.open(io.BytesIO(data))
    assert upload.format == "HEIF" and upload.getexif().get_ifd(0x8825)[2] == SENTINEL_GPS
    processed = _process(data)
    assert processed.original_ext == "heic" and processed.width == 800
    for derivative in processed.derivatives:
        _assert_clean(derivative.content)
    _assert_quadrants(_decoded(processed.derivatives[-1]))


def _stored(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file()}


def test_an_upload_goes_to_private_storage_only(own_media, db):
    from objects.models import TraceObject

    public, private = own_media
    obj = TraceObject(category=make_category(), title="t", question="q?", alt_text="a")
    services.object_save(obj=obj)
    data = make_image_bytes(gps=True)
    image = services.object_image_add(obj=obj, processed=_process(data))
    assert (private / image.original.name).read_bytes() == data
    assert _stored(public) == set() and image.renditions == []
    assert _stored(private) == {image.original.name} | image.preview_names()
    assert len(image.previews) == 6
    for item in image.previews:
        _assert_clean(
            (private / image.preview(item["role"], item["format"])["private_name"]).read_bytes()
        )
    assert image.is_primary and image.original_format == "JPEG"
    assert (image.original_width, image.original_height) == (900, 600)


def test_published_derivatives_are_clean_and_named_by_their_content(own_media, db):
    from objects.models import TraceObject

    public, private = own_media
    obj = TraceObject(category=make_category(), title="t", question="q?", alt_text="a")
    obj.status = TraceObject.Status.PUBLISHED
    services.object_save(obj=obj)
    image = services.object_image_add(obj=obj, processed=_process(make_image_bytes(gps=True)))
    services.object_image_edit(image=image, edit=imaging.Edit())
    assert not Path(settings.MEDIA_PRIVATE_ROOT).is_relative_to(settings.MEDIA_PUBLIC_ROOT)
    assert _stored(public) == image.derivative_names() and len(image.renditions) == 6
    assert image.original.name not in _stored(public)
    for item in image.renditions:
        stored = (public / item["name"]).read_bytes()
        _assert_clean(stored)
        assert len(stored) == item["bytes"]
        assert imaging.hashlib.sha256(stored).hexdigest()[:32] in item["name"]


def test_a_published_pixelated_redaction_leaves_no_detail_in_public_storage(own_media, db):
    from objects.models import TraceObject

    public, private = own_media
    obj = TraceObject(category=make_category(), title="t", question="q?", alt_text="a")
    obj.status = TraceObject.Status.PUBLISHED
    services.object_save(obj=obj)
    # The dark diagonal line of the test image crosses this square.
    square = imaging.Redaction(x=300, y=150, width=300, height=300, style="pixelate")
    image = services.object_image_add(obj=obj, processed=_process(make_image_bytes()))

    def darkest(content: bytes) -> int:
        """The lowest luminance inside the square (its edge left out)."""
        picture = Image.open(io.BytesIO(content)).convert("L")
        scale = picture.width / 900
        box = tuple(int(v * scale) for v in (310, 160, 590, 440))
        return picture.crop(box).getextrema()[0]

    before = image.preview("full")["private_name"]
    assert darkest((private / before).read_bytes()) < 40  # the dark line, unredacted
    services.object_image_edit(image=image, edit=imaging.Edit(redactions=(square,)))
    assert _stored(public) == image.derivative_names()
    for name in _stored(public):
        # Blocks averaging the line with the orange around it: no dark pixel is left.
        assert darkest((public / name).read_bytes()) > 80, name


# --- sizes, colour, orientation ---------------------------------------------------------------


def test_it_flattens_transparency_onto_white():
    out = _save(Image.new("RGBA", (300, 200), (255, 0, 0, 0)))
    thumb = _decoded(_process(out).derivatives[1])
    assert _close(thumb.getpixel((10, 10)), (255, 255, 255), 3)


def test_it_never_upscales_and_keeps_the_aspect_ratio():
    small = _process(make_image_bytes(size=(300, 200)))
    assert {(d.width, d.height) for d in small.derivatives} == {(300, 200)}
    big = _process(make_image_bytes(size=(3000, 2000)))
    assert [(d.width, d.height) for d in big.derivatives[::2]] == [
        (400, 267),
        (800, 533),
        (1600, 1067),
    ]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_it_applies_every_exif_orientation(orientation):
    upright = _quadrants((600, 400))
    # What a camera stores so that a viewer applying `orientation` shows `upright`.
    inverse = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    stored = upright.transpose(inverse[orientation]) if orientation in inverse else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = _save(stored, "JPEG", exif=exif, quality=95)
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size == (600, 400)
    processed = _process(data)
    assert (processed.width, processed.height) == (600, 400)
    for derivative in processed.derivatives:
        assert (derivative.width, derivative.height) == (400, 267) or derivative.width == 600
        _assert_quadrants(_decoded(derivative))


def test_a_cmyk_jpeg_becomes_rgb_with_the_right_colours():
    cmyk = Image.new("CMYK", (500, 300), (0, 255, 255, 0))  # pure red in print colours
    derivative = _process(_save(cmyk, "JPEG", quality=95)).derivatives[1]
    assert _close(_decoded(derivative).getpixel((100, 100)), (255, 0, 0), 30)


def test_a_16_bit_greyscale_png_is_scaled_not_clipped():
    image = Image.new("I;16", (500, 300), 0x8000)  # mid grey in 16 bits
    data = _save(image)
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    pixel = _decoded(_process(data).derivatives[1]).getpixel((50, 50))
    assert _close(pixel, (128, 128, 128), 4)


def test_a_tiff_is_accepted_and_an_unreadable_icc_profile_is_ignored():
    data = _save(_quadrants(), "TIFF", icc_profile=b"not really a profile")
    processed = _process(data)
    assert processed.original_ext == "tif"
    _assert_quadrants(_decoded(processed.derivatives[1]))


def test_an_embedded_srgb_profile_keeps_the_colours():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _save(Image.new("RGB", (500, 300), (200, 120, 40)), "PNG", icc_profile=icc)
    assert _close(_decoded(_process(data).derivatives[1]).getpixel((9, 9)), (200, 120, 40), 3)


def test_a_large_jpeg_is_decoded_at_reduced_size_with_draft_mode():
    data = _save(Image.new("RGB", (6000, 4000), (90, 90, 90)), "JPEG", quality=70)
    decoded = imaging._decode(data, need=(1600, 1067))
    assert decoded.image.size == (3000, 2000)  # 1/2 scale: the smallest that still covers 1600
    assert decoded.size == (6000, 4000)
    assert [d.width for d in imaging.process_original(data).derivatives[::2]] == [400, 800, 1600]


# --- crop and redaction -----------------------------------------------------------------------


def test_a_crop_keeps_only_the_chosen_rectangle():
    data = _save(_quadrants((1200, 800)))
    edit = imaging.Edit(crop=imaging.Rect(600, 0, 600, 400))  # the green top-right quadrant
    processed = _process(data, edit)
    full = processed.derivatives[-1]
    assert (full.width, full.height) == (600, 400)
    image = _decoded(full)
    for point in [(0, 0), (599, 0), (0, 399), (599, 399), (300, 200)]:
        assert _close(image.getpixel(point), QUADRANTS["tr"]), point
    assert processed.edit == edit


def test_a_solid_redaction_blacks_out_the_rectangle_and_nothing_else():
    data = _save(Image.new("RGB", (1200, 800), (240, 200, 40)))
    edit = imaging.Edit(redactions=(imaging.Redaction(300, 200, 400, 200, style="solid"),))
    for derivative in _process(data, edit).derivatives:
        image = _decoded(derivative)
        s = derivative.width / 1200
        inside = [(310, 210), (690, 390), (500, 300)]
        outside = [(290, 190), (710, 410), (100, 700), (1100, 100)]
        for x, y in inside:
            assert _close(image.getpixel((int(x * s), int(y * s))), (0, 0, 0), 12), (x, y)
        for x, y in outside:
            assert _close(image.getpixel((int(x * s), int(y * s))), (240, 200, 40), 12), (x, y)


def test_pixelation_leaves_only_large_uniform_blocks():
    # Fine detail (a 2-pixel checkerboard with text-like noise) must not survive.
    rng = __import__("random").Random(7)
    noise = Image.frombytes("RGB", (1200, 800), bytes(rng.randrange(256) for _ in range(2880000)))
    edit = imaging.Edit(redactions=(imaging.Redaction(200, 200, 600, 300, style="pixelate"),))
    image, decoded = imaging.render_edited(_save(noise), edit=edit, width=1600)
    assert decoded.scale == (1.0, 1.0)
    region = image.crop((200, 200, 800, 500))
    block = imaging.pixelate_block(edit.redactions[0], size=(1200, 800))
    assert block >= 100  # 600 / 6
    assert len(region.getcolors(maxcolors=100_000)) <= 6 * 3
    assert region.getpixel((0, 0)) == region.getpixel((block - 1, block - 1))
    # Outside the rectangle the noise is untouched.
    assert image.crop((0, 0, 200, 200)).tobytes() == noise.crop((0, 0, 200, 200)).tobytes()


def test_redactions_are_applied_before_the_crop_in_original_coordinates():
    data = _save(Image.new("RGB", (1000, 1000), (255, 255, 255)))
    edit = imaging.Edit(
        crop=imaging.Rect(500, 500, 500, 500),
        redactions=(imaging.Redaction(600, 600, 100, 100),),
    )
    image = _decoded(_process(data, edit).derivatives[-1])
    assert image.size == (500, 500)
    assert _close(image.getpixel((150, 150)), (0, 0, 0), 12)  # 650,650 in the original
    assert _close(image.getpixel((300, 300)), (255, 255, 255), 12)


def test_the_preview_shows_the_same_pixels_as_the_published_derivative():
    data = _save(_quadrants((2400, 1600)), "JPEG", quality=92)
    edit = imaging.Edit(
        crop=imaging.Rect(200, 100, 2000, 1400),
        redactions=(
            imaging.Redaction(400, 300, 500, 400, style="pixelate"),
            imaging.Redaction(1500, 900, 300, 300, style="solid"),
        ),
    )
    preview = Image.open(io.BytesIO(imaging.render_preview(data, edit=edit))).convert("RGB")
    large = _decoded(_process(data, edit).derivatives[3])
    assert preview.size == (1200, 840) and large.size == (800, 560)
    diff = [
        abs(a - b)
        for a, b in zip(
            preview.resize(large.size, Image.Resampling.LANCZOS).tobytes(),
            large.tobytes(),
            strict=True,
        )
    ]
    assert sum(diff) / len(diff) < 4


@pytest.mark.parametrize(
    "edit",
    [
        imaging.Edit(crop=imaging.Rect(0, 0, 901, 10)),
        imaging.Edit(crop=imaging.Rect(0, 0, 0, 10)),
        imaging.Edit(redactions=(imaging.Redaction(850, 550, 100, 100),)),
        imaging.Edit(redactions=(imaging.Redaction(1, 1, 10, 10, style="blur"),)),
    ],
)
def test_a_rectangle_outside_the_image_is_rejected(edit):
    with pytest.raises(imaging.ImageRejected):
        _process(make_image_bytes(size=(900, 600)), edit)


# --- hostile and unsupported files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"this is not an image at all", "not an image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not an image",
        ),
        (b"<html><body>hi</body></html>", "not an image"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "not an image"),
    ],
)
def test_it_rejects_files_that_are_not_images(data, reason):
    with pytest.raises(imaging.ImageRejected, match=reason):
        _process(data)


def test_it_rejects_a_truncated_jpeg():
    data = make_image_bytes(size=(1200, 900))
    with pytest.raises(imaging.ImageRejected, match="damaged or incomplete"):
        _process(data[: len(data) // 2])


def test_it_rejects_formats_it_does_not_accept():
    with pytest.raises(imaging.ImageRejected, match="GIF files are not accepted"):
        _process(_save(Image.new("RGB", (50, 50)), "GIF"))


@pytest.mark.parametrize("fmt", ["WEBP", "PNG", "TIFF"])
def test_it_refuses_animated_and_multi_page_images(fmt):
    frames = [Image.new("RGB", (60, 40), c) for c in ((255, 0, 0), (0, 255, 0))]
    data = _save(frames[0], fmt, save_all=True, append_images=frames[1:])
    assert getattr(Image.open(io.BytesIO(data)), "n_frames", 1) == 2
    with pytest.raises(imaging.ImageRejected, match="Animated images"):
        _process(data)


def test_it_rejects_a_decompression_bomb():
    out = _save(Image.new("1", (8000, 6000)))  # 48 megapixels in a few kilobytes
    assert len(out) < 100_000
    with pytest.raises(imaging.ImageRejected, match="too many pixels"):
        _process(out)


def test_open_image_keeps_its_contract_for_other_callers():
    image, fmt = imaging.open_image(_save(_quadrants(), "HEIF"))
    assert fmt == "HEIF" and image.mode == "RGB" and image.size == (600, 400)


def test_it_rejects_an_oversized_upload_without_reading_it_all():
    class Endless(io.RawIOBase):
        read_bytes = 0

        def read(self, n=-1):
            self.read_bytes += n
            return b"\xff" * n

    stream = Endless()
    with pytest.raises(imaging.ImageRejected, match="larger than"):
        imaging.read_upload(stream, max_bytes=1024 * 1024)
    assert stream.read_bytes <= 1024 * 1024 + 1
