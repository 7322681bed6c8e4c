#!/usr/bin/env bash
# Builds pgvector from Debian's source package and installs it into the machine's newest PostgreSQL,
# for Debian releases (bookworm) that ship PostgreSQL but no pgvector package. Needs root and the
# Debian archive this machine's apt already uses. Used by `npm run test:postgres` and `.ci/run` on
# machines without Docker; does nothing when pgvector is already installed.
#
#   bash tooling/scripts/install-pgvector-debian.sh [suite]     # suite with pgvector ≥ 0.7, default trixie
set -euo pipefail
suite="${1:-trixie}"
major="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
[ -n "$major" ] || { echo "install-pgvector-debian: no PostgreSQL in /usr/lib/postgresql" >&2; exit 2; }
pg_config="/usr/lib/postgresql/$major/bin/pg_config"
if [ -f "$("$pg_config" --sharedir)/extension/vector.control" ]; then
  echo "install-pgvector-debian: pgvector is already installed into PostgreSQL $major"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install-pgvector-debian: run as root" >&2; exit 2; }

# The deb-src entry reuses the archive URI (and its Signed-By) of the machine's own apt source for
# the main Debian archive of the running release, so it fetches from wherever this machine already
# installs packages from.
. /etc/os-release
release="${VERSION_CODENAME:?install-pgvector-debian: no VERSION_CODENAME in /etc/os-release}"
shopt -s nullglob
lists=()
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -r "$file" ] && lists+=("$file")
done
archive="$(
  awk -v release="$release" '
    function has(list, word,   parts, n, i) {
      n = split(list, parts, /[ \t]+/)
      for (i = 1; i <= n; i++) if (parts[i] == word) return 1
      return 0
    }
    function found(uri, signedBy) {
      print "URIs: " uri
      if (signedBy != "") print "Signed-By:" signedBy
      done = 1
      exit
    }
    # deb822 (*.sources): stanzas of "Field: value" lines, continuation lines start with a blank.
    function stanza(   uris) {
      if ((has(field["types"], "deb") || has(field["types"], "deb-src")) &&
          has(field["suites"], release) && has(field["components"], "main") &&
          tolower(field["enabled"]) !~ /^[ \t]*no[ \t]*$/) {
        split(field["uris"], uris, /[ \t]+/)
        found(uris[1] != "" ? uris[1] : uris[2], raw["signed-by"])
      }
      split("", field); split("", raw); name = ""
    }
    done { exit }
    FNR == 1 && deb822 { stanza() }
    FNR == 1 { deb822 = FILENAME ~ /\.sources$/ }
    deb822 && /^#/ { next }
    deb822 && /^[ \t]*$/ { stanza(); next }
    deb822 && /^[ \t]/ { field[name] = field[name] " " $0; raw[name] = raw[name] "\n" $0; next }
    deb822 {
      name = tolower(substr($0, 1, index($0, ":") - 1))
      field[name] = substr($0, index($0, ":") + 1)
      raw[name] = field[name]
      next
    }
    # One-line format (sources.list, *.list): type [options] uri suite component...
    {
      line = $0
      sub(/#.*/, "", line)
      options = ""
      if (match(line, /\[[^]]*\]/)) {
        options = substr(line, RSTART + 1, RLENGTH - 2)
        line = substr(line, 1, RSTART - 1) " " substr(line, RSTART + RLENGTH)
      }
      n = split(line, words, /[ \t]+/)
      count = 0
      for (i = 1; i <= n; i++) if (words[i] != "") word[++count] = words[i]
      if (count < 4 || (word[1] != "deb" && word[1] != "deb-src") || word[3] != release) next
      main = 0
      for (i = 4; i <= count; i++) if (word[i] == "main") main = 1
      if (!main) next
      signedBy = ""
      n = split(options, parts, /[ \t]+/)
      for (i = 1; i <= n; i++) if (parts[i] ~ /^signed-by=/) signedBy = " " substr(parts[i], 11)
      found(word[2], signedBy)
    }
    END { if (!done && deb822) stanza() }
  ' "${lists[@]}" /dev/null
)"
if [ -z "$archive" ]; then
  echo "install-pgvector-debian: no apt source for the main Debian archive ($release, component main) in /etc/apt/sources.list or /etc/apt/sources.list.d" >&2
  exit 2
fi

# Only the source package comes from $suite; the entry is removed again so nothing else is upgraded.
sources=/etc/apt/sources.list.d/dje-pgvector-src.sources
work="$(mktemp -d)"
trap 'rm -f "$sources"; rm -rf "$work"; apt-get update -qq >/dev/null 2>&1 || true' EXIT
{
  echo "Types: deb-src"
  echo "$archive" | grep '^URIs:'
  echo "Suites: $suite"
  echo "Components: main"
  echo "$archive" | sed -n '/^Signed-By:/,$p'
} >"$sources"
echo "install-pgvector-debian: pgvector source from $(echo "$archive" | sed -n 's/^URIs: //p') $suite"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# The server headers come at the archive's current minor version, which can upgrade the installed
# PostgreSQL $major to that minor version too.
apt-get install -y -qq "postgresql-server-dev-$major" make gcc >/dev/null
cd "$work"
apt-get source --download-only -qq pgvector 2>/dev/null
tar xzf pgvector_*.orig.tar.gz
cd pgvector-*/
make -s -j"$(nproc)" PG_CONFIG="$pg_config" OPTFLAGS=""
make -s install PG_CONFIG="$pg_config"
echo "install-pgvector-debian: installed pgvector $(basename "$PWD" | sed 's/pgvector-//') into PostgreSQL $major"
