# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run): settings and the bucket
# copy. Reads the same environment variables as the app; never reads a key.

# What the app writes on S3 (traceobject/s3.py), set again when files go back into a bucket.
IMMUTABLE="public, max-age=31536000, immutable"
PRIVATE_CACHE="private, no-store"

log() { echo "$(date -u +%H:%M:%S) $*" >&2; }
die() {
  echo "error: $*" >&2
  exit 1
}
usage() {
  echo "usage: $*" >&2
  exit 2
}

# NAME, or the contents of the file named by NAME_FILE (Docker or Kubernetes secrets).
from_file() {
  local name=$1 file_var="${1}_FILE"
  if [ -z "${!name:-}" ] && [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || die "$file_var: cannot read ${!file_var}"
    printf -v "$name" '%s' "$(cat "${!file_var}")"
    export "${name?}"
  fi
}

load_settings() {
  from_file DATABASE_URL
  from_file S3_ACCESS_KEY_ID
  from_file S3_SECRET_ACCESS_KEY
  case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    "") die "DATABASE_URL is not set" ;;
    *) die "DATABASE_URL must be a postgres:// URL (SQLite: copy the file while the site is stopped)" ;;
  esac
  if [ -n "${S3_PUBLIC_BUCKET:-}" ] || [ -n "${S3_PRIVATE_BUCKET:-}" ]; then
    [ -n "${S3_PUBLIC_BUCKET:-}" ] && [ -n "${S3_PRIVATE_BUCKET:-}" ] ||
      die "set both S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET, or neither"
    media=s3
    sync=${S3_SYNC:-auto}
    if [ "$sync" = auto ]; then
      if command -v aws >/dev/null; then sync=aws; else sync=python; fi
    fi
    case "$sync" in
      aws) command -v aws >/dev/null || die "S3_SYNC=aws but the aws command is not installed" ;;
      python) PYTHON=${PYTHON:-python3} ;;
      *) die "S3_SYNC must be auto, aws or python, not $sync" ;;
    esac
  else
    [ -n "${MEDIA_PUBLIC_ROOT:-}" ] && [ -n "${MEDIA_PRIVATE_ROOT:-}" ] ||
      die "set S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET, or MEDIA_PUBLIC_ROOT and MEDIA_PRIVATE_ROOT"
    media=folders
  fi
}

# The AWS CLI with the app's S3 settings.
aws_s3() {
  local args=()
  [ -z "${S3_ENDPOINT_URL:-}" ] || args+=(--endpoint-url "$S3_ENDPOINT_URL")
  [ -z "${S3_REGION:-}" ] || args+=(--region "$S3_REGION")
  AWS_ACCESS_KEY_ID=${S3_ACCESS_KEY_ID:-${AWS_ACCESS_KEY_ID:-}} \
    AWS_SECRET_ACCESS_KEY=${S3_SECRET_ACCESS_KEY:-${AWS_SECRET_ACCESS_KEY:-}} \
    aws "${args[@]}" "$@"
}

bucket_download() { # BUCKET FOLDER
  mkdir -p "$2"
  if [ "$sync" = aws ]; then
    aws_s3 s3 sync --only-show-errors "s3://$1" "$2"
  else
    "$PYTHON" "$here/s3sync.py" download "$1" "$2" >&2
  fi
}

bucket_upload() { # FOLDER BUCKET ACL CACHE_CONTROL
  if [ "$sync" = aws ]; then
    local acl=()
    [ -z "$3" ] || acl=(--acl "$3")
    aws_s3 s3 sync --only-show-errors "${acl[@]}" --cache-control "$4" "$1" "s3://$2"
  else
    "$PYTHON" "$here/s3sync.py" upload "$1" "$2" --acl "$3" --cache-control "$4" >&2
  fi
}

bucket_is_empty() { # BUCKET
  local n
  if [ "$sync" = aws ]; then
    n=$(aws_s3 s3api list-objects-v2 --bucket "$1" --max-keys 1 --no-paginate \
      --query KeyCount --output text)
  else
    n=$("$PYTHON" "$here/s3sync.py" count "$1" --at-most 1)
  fi
  [ "$n" = 0 ]
}
