"""Storage settings for S3-compatible object stores (AWS S3, MinIO, Ceph, Garage, …)."""

from urllib.parse import urlsplit

# Public derivatives are named by content hash, so caches may keep them forever.
IMMUTABLE = "public, max-age=31536000, immutable"


def s3_storages(
    *,
    public_bucket: str,
    private_bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    addressing_style: str = "",
    media_url: str = "",
    public_acl: str = "public-read",
) -> dict:
    """STORAGES entries "public" and "private" on django-storages' S3 backend.

    Public: plain (unsigned) URLs, readable by anyone through the ACL (or a bucket policy when
    `public_acl` is empty), served from MEDIA_URL's host when that is absolute (a CDN).
    Private: every object written with the "private" ACL and no public URL; staff read
    originals only through the permission-checked view, which streams them.
    """
    common = {
        key: value
        for key, value in {
            "endpoint_url": endpoint_url,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "addressing_style": addressing_style,
        }.items()
        if value
    }
    public = {
        **common,
        "bucket_name": public_bucket,
        "querystring_auth": False,
        "file_overwrite": True,  # same name, same bytes
        "object_parameters": {"CacheControl": IMMUTABLE},
    }
    if public_acl:
        public["default_acl"] = public_acl
    parts = urlsplit(media_url)
    if parts.scheme and parts.netloc:
        public["custom_domain"] = parts.netloc + parts.path.rstrip("/")
        public["url_protocol"] = parts.scheme + ":"
    private = {
        **common,
        "bucket_name": private_bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "public": {"BACKEND": backend, "OPTIONS": public},
        "private": {"BACKEND": backend, "OPTIONS": private},
    }
