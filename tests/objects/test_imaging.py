import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageCms, PngImagePlugin

from objects import imaging, services
from tests.factories import SENTINEL_TEXT, make_category, make_image_bytes

# Bytes that betray metadata in a file: EXIF, XMP, ICC, IPTC (Photoshop), our sentinel.
METADATA_MARKERS = [
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap",
    b"ICC_PROFILE",
    b"Photoshop 3.0",
    SENTINEL_TEXT.encode(),
    b"tEXt",
    b"iTXt",
    b"zTXt",
]


def _assert_clean(content: bytes):
    for marker in METADATA_MARKERS:
        assert marker not in content, marker
    image = Image.open(io.BytesIO(content))
    assert not image.getexif()
    assert not set(image.info) & {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"}
    assert image.mode == "RGB"


def _process(data: bytes) -> imaging.ProcessedImage:
    return imaging.process_upload(io.BytesIO(data))


def test_it_strips_gps_exif_icc_xmp_and_comments_from_jpeg():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{SENTINEL_TEXT}</x:xmpmeta>'.encode()
    data = make_image_bytes(gps=True, icc_profile=icc, xmp=xmp, comment=SENTINEL_TEXT.encode())
    upload = Image.open(io.BytesIO(data))
    assert upload.getexif().get_ifd(0x8825)  # the upload really carries GPS
    assert "icc_profile" in upload.info and SENTINEL_TEXT.encode() in data
    processed = _process(data)
    assert [d.role for d in processed.derivatives] == ["thumb", "large", "full"]
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


def test_it_flattens_transparency_onto_white():
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (255, 0, 0, 0)).save(out, "PNG")
    thumb = Image.open(io.BytesIO(_process(out.getvalue()).derivatives[0].content))
    assert thumb.getpixel((10, 10)) == (255, 255, 255)


def test_it_never_upscales_and_keeps_the_aspect_ratio():
    small = _process(make_image_bytes(size=(300, 200)))
    assert {(d.width, d.height) for d in small.derivatives} == {(300, 200)}
    big = _process(make_image_bytes(size=(3000, 2000)))
    assert [(d.width, d.height) for d in big.derivatives] == [(480, 320), (1200, 800), (2400, 1600)]


def test_it_applies_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = make_image_bytes(size=(400, 200), exif=exif)
    thumb = _process(data).derivatives[0]
    assert (thumb.width, thumb.height) == (200, 400)


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
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "GIF")
    with pytest.raises(imaging.ImageRejected, match="GIF files are not accepted"):
        _process(out.getvalue())


def test_it_rejects_a_decompression_bomb():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(imaging.ImageRejected, match="too many pixels"):
        _process(out.getvalue())


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


@pytest.mark.django_db
def test_the_original_goes_to_private_storage_and_derivatives_to_public():
    from objects.models import TraceObject

    obj = TraceObject(category=make_category(), title="t", question="q?", alt_text="a")
    services.object_save(obj=obj)
    data = make_image_bytes(gps=True)
    image = services.object_image_add(obj=obj, processed=_process(data))
    original = Path(settings.MEDIA_PRIVATE_ROOT) / image.original.name
    assert original.read_bytes() == data
    assert not (Path(settings.MEDIA_PUBLIC_ROOT) / image.original.name).exists()
    assert not Path(settings.MEDIA_PRIVATE_ROOT).is_relative_to(settings.MEDIA_PUBLIC_ROOT)
    for item in image.renditions:
        stored = (Path(settings.MEDIA_PUBLIC_ROOT) / item["name"]).read_bytes()
        _assert_clean(stored)
        assert len(stored) == item["bytes"]
    assert image.is_primary
