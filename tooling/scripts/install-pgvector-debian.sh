#!/usr/bin/env bash
# Builds pgvector from Debian's source package and installs it into the machine's newest PostgreSQL,
# for Debian releases (bookworm) that ship PostgreSQL but no pgvector package. Needs root and
# deb.debian.org. Used by `npm run test:postgres` on machines without Docker.
#
#   bash tooling/scripts/install-pgvector-debian.sh [suite]     # suite with pgvector ≥ 0.7, default trixie
set -euo pipefail
suite="${1:-trixie}"
[ "$(id -u)" -eq 0 ] || { echo "install-pgvector-debian: run as root" >&2; exit 2; }
major="$(ls /usr/lib/postgresql | sort -n | tail -1)"
[ -n "$major" ] || { echo "install-pgvector-debian: no PostgreSQL in /usr/lib/postgresql" >&2; exit 2; }
pg_config="/usr/lib/postgresql/$major/bin/pg_config"

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "postgresql-server-dev-$major" make gcc >/dev/null

# Only the source package comes from $suite; the entry is removed again so nothing else is upgraded.
sources=/etc/apt/sources.list.d/dje-pgvector-src.sources
work="$(mktemp -d)"
trap 'rm -f "$sources"; rm -rf "$work"; apt-get update -qq >/dev/null 2>&1 || true' EXIT
cat >"$sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt-get update -qq >/dev/null
cd "$work"
apt-get source --download-only -qq pgvector 2>/dev/null
tar xzf pgvector_*.orig.tar.gz
cd pgvector-*/
make -s -j"$(nproc)" PG_CONFIG="$pg_config" OPTFLAGS=""
make -s install PG_CONFIG="$pg_config"
echo "install-pgvector-debian: installed pgvector $(basename "$PWD" | sed 's/pgvector-//') into PostgreSQL $major"
