#!/usr/bin/env bash
# Restore a folder made by scripts/backup.sh into an EMPTY database and EMPTY buckets (or
# folders), then say what to run next. It refuses a backup whose files do not match their
# SHA256SUMS, and a target that already holds anything, before changing anything.
#
#   usage: scripts/restore.sh BACKUP_FOLDER
#
# Environment: the same as scripts/backup.sh, naming the targets: DATABASE_URL (an empty
# database, made with `createdb`), S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET (empty buckets) or
# MEDIA_PUBLIC_ROOT and MEDIA_PRIVATE_ROOT (empty or missing folders); S3_PUBLIC_ACL as the app
# has it (default public-read; empty when a bucket policy makes the public bucket readable).
# The keys are not needed here, only by the app that then reads the restored data.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/backup-common.sh
. "$here/backup-common.sh"

[ $# -eq 1 ] || usage "scripts/restore.sh BACKUP_FOLDER"
backup=$(cd "$1" 2>/dev/null && pwd) || die "$1 is not a folder"
case "$backup" in *.partial) die "$backup is an unfinished backup" ;; esac
[ -f "$backup/SHA256SUMS" ] && [ -f "$backup/database.dump" ] ||
  die "$backup is not a backup made by scripts/backup.sh (no SHA256SUMS or database.dump)"
load_settings

log "checking $backup against its SHA256SUMS"
(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS) ||
  die "the backup is damaged (the files named above); nothing was restored"

tables=$(psql "$DATABASE_URL" -X -q -t -A -v ON_ERROR_STOP=1 -c \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")
[ "$tables" = 0 ] || die "the target database has $tables tables: restore into an empty one (createdb)"
if [ "$media" = s3 ]; then
  for bucket in "$S3_PUBLIC_BUCKET" "$S3_PRIVATE_BUCKET"; do
    bucket_is_empty "$bucket" || die "s3://$bucket is not empty: restore into empty buckets"
  done
else
  for folder in "$MEDIA_PUBLIC_ROOT" "$MEDIA_PRIVATE_ROOT"; do
    [ ! -e "$folder" ] || [ -z "$(ls -A "$folder")" ] || die "$folder is not empty"
  done
fi

# One transaction: a restore that fails leaves the database empty, ready for another try.
log "database <- $backup/database.dump"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/database.dump"
# pg_dump does not keep the cost objects migration 0005 gives pg_trgm's word-similarity operator
# (it belongs to the extension); without it searches read the whole search table.
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c \
  "DO \$\$ BEGIN ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200;
   EXCEPTION WHEN insufficient_privilege THEN
   RAISE WARNING 'not the owner of pg_trgm: run ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200 as its owner';
   END \$\$"

if [ "$media" = s3 ]; then
  log "media -> s3://$S3_PUBLIC_BUCKET and s3://$S3_PRIVATE_BUCKET with $sync"
  bucket_upload "$backup/public" "$S3_PUBLIC_BUCKET" "${S3_PUBLIC_ACL-public-read}" "$IMMUTABLE"
  bucket_upload "$backup/private" "$S3_PRIVATE_BUCKET" private "$PRIVATE_CACHE"
else
  log "media -> $MEDIA_PUBLIC_ROOT and $MEDIA_PRIVATE_ROOT"
  mkdir -p "$MEDIA_PUBLIC_ROOT" "$MEDIA_PRIVATE_ROOT"
  cp -a "$backup/public/." "$MEDIA_PUBLIC_ROOT/"
  cp -a "$backup/private/." "$MEDIA_PRIVATE_ROOT/"
fi

log "restored. Next, with the keys of $(sed -n 's/^made: //p' "$backup/INFO") from the secret store:"
log "  python manage.py migrate --check      (no migration pending for the same version)"
log "  python manage.py verify_integrity     (files, keys, audit triggers, public URLs)"
