#!/usr/bin/env bash
# Back up a deployment: the database (pg_dump, custom format) and both media stores (the two S3
# buckets, or the two folders) into one new folder, with a SHA256SUMS of every file in it.
# The keys (SECRET_KEY, RECEIPT_KEY, TIP_ENCRYPTION_KEYS) are never read or written here: they
# are kept apart, in the secret store (docs/operations.md, "Backup and restore").
#
#   usage: scripts/backup.sh BACKUP_ROOT
#
# Prints the new folder, BACKUP_ROOT/tao-YYYYMMDDTHHMMSSZ, and nothing else on stdout. It is
# written as ….partial and renamed only once complete, so a folder without that suffix is whole.
#
# Environment, as the app reads it: DATABASE_URL (PostgreSQL); S3_PUBLIC_BUCKET and
# S3_PRIVATE_BUCKET with S3_ENDPOINT_URL, S3_REGION, S3_ADDRESSING_STYLE, S3_ACCESS_KEY_ID,
# S3_SECRET_ACCESS_KEY (each of DATABASE_URL and the S3 keys may come from NAME_FILE); or, without
# buckets, MEDIA_PUBLIC_ROOT and MEDIA_PRIVATE_ROOT. S3_SYNC picks the bucket copier: `aws`
# (`aws s3 sync`), `python` (scripts/s3sync.py, boto3, run with $PYTHON) or `auto` (the default:
# aws if installed, else python).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/backup-common.sh
. "$here/backup-common.sh"

[ $# -eq 1 ] || usage "scripts/backup.sh BACKUP_ROOT"
root=$1
[ -d "$root" ] || die "$root is not a folder (create it first, on storage apart from production)"
load_settings

stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$root/tao-$stamp"
work="$final.partial"
[ ! -e "$final" ] && [ ! -e "$work" ] || die "$final already exists"
# Only the operator may read it: it holds every tip (encrypted fields stay encrypted).
umask 077
mkdir "$work"

log "database -> $work/database.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$work/database.dump" "$DATABASE_URL"

if [ "$media" = s3 ]; then
  log "media: s3://$S3_PUBLIC_BUCKET and s3://$S3_PRIVATE_BUCKET with $sync"
  bucket_download "$S3_PUBLIC_BUCKET" "$work/public"
  bucket_download "$S3_PRIVATE_BUCKET" "$work/private"
else
  log "media: $MEDIA_PUBLIC_ROOT and $MEDIA_PRIVATE_ROOT"
  mkdir "$work/public" "$work/private"
  cp -a "$MEDIA_PUBLIC_ROOT/." "$work/public/"
  cp -a "$MEDIA_PRIVATE_ROOT/." "$work/private/"
fi

# What a restore needs besides this folder: names only, never a value.
cat >"$work/INFO" <<EOF
made: $stamp
pg_dump: $(pg_dump --version)
media: $media
public files: $(find "$work/public" -type f | wc -l)
private files: $(find "$work/private" -type f | wc -l)
needs, from the secret store (not in this folder): SECRET_KEY, RECEIPT_KEY and
RECEIPT_KEY_FALLBACKS, TIP_ENCRYPTION_KEYS as they were on $stamp
EOF
(cd "$work" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 -r sha256sum >SHA256SUMS)
mv "$work" "$final"
log "done: $(grep files "$final/INFO" | tr '\n' ' ')"
echo "$final"
