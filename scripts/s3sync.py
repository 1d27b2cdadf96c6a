"""Copy a bucket to a folder and back, with boto3: the backup scripts' S3 copy without a CLI.

scripts/backup.sh and scripts/restore.sh use `aws s3 sync` where the AWS CLI is installed (the
client an operator of an S3-compatible store usually has) and this otherwise: boto3 is one of
the app's own requirements, so wherever the app runs this does too. Same settings as the app:
S3_ENDPOINT_URL, S3_REGION, S3_ADDRESSING_STYLE, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY
(or the SDK's credential chain).

    python scripts/s3sync.py download BUCKET FOLDER
    python scripts/s3sync.py upload FOLDER BUCKET --acl ACL --cache-control VALUE
    python scripts/s3sync.py count BUCKET [--at-most N]

`upload` sets what the app sets when it writes (traceobject/s3.py): the ACL, Cache-Control and
the Content-Type guessed from the name, since a folder keeps none of an object's metadata.
"""

import argparse
import mimetypes
import os
import sys
from pathlib import Path

import boto3
from botocore.config import Config

CONTENT_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def client():
    style = os.environ.get("S3_ADDRESSING_STYLE") or "auto"
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("S3_REGION") or None,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        config=Config(s3={"addressing_style": style}),
    )


def keys(s3, bucket: str):
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            yield item["Key"]


def download(bucket: str, folder: Path) -> int:
    s3, count = client(), 0
    for key in keys(s3, bucket):
        target = (folder / key).resolve()
        # A key like "../x" must not write outside the folder.
        if not target.is_relative_to(folder.resolve()):
            sys.exit(f"refusing key {key!r}: it points outside {folder}")
        target.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(bucket, key, str(target))
        count += 1
    return count


def upload(folder: Path, bucket: str, *, acl: str, cache_control: str) -> int:
    s3, count = client(), 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = path.relative_to(folder).as_posix()
        content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        extra = {"ContentType": content_type, "CacheControl": cache_control}
        if acl:
            extra["ACL"] = acl
        s3.upload_file(str(path), bucket, key, ExtraArgs=extra)
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    down = sub.add_parser("download", help="every object of BUCKET into FOLDER")
    down.add_argument("bucket")
    down.add_argument("folder", type=Path)
    up = sub.add_parser("upload", help="every file under FOLDER into BUCKET")
    up.add_argument("folder", type=Path)
    up.add_argument("bucket")
    up.add_argument("--acl", default="")
    up.add_argument("--cache-control", required=True)
    count = sub.add_parser("count", help="how many objects BUCKET holds")
    count.add_argument("bucket")
    count.add_argument("--at-most", type=int, default=0, help="stop counting at N (0: never)")
    args = parser.parse_args()
    if args.command == "download":
        args.folder.mkdir(parents=True, exist_ok=True)
        print(f"{download(args.bucket, args.folder)} files from s3://{args.bucket}")
    elif args.command == "upload":
        if not args.folder.is_dir():
            sys.exit(f"{args.folder} is not a folder")
        n = upload(args.folder, args.bucket, acl=args.acl, cache_control=args.cache_control)
        print(f"{n} files to s3://{args.bucket}")
    else:
        n = 0
        for _key in keys(client(), args.bucket):
            n += 1
            if n == args.at_most:
                break
        print(n)


if __name__ == "__main__":
    main()
