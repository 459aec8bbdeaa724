#!/usr/bin/env bash
# Builds Valkey 9.1 for the lab from Debian unstable's source package, into .lab/valkey-9.1/bin (git-ignored):
# Debian 12 packages only Valkey 8.0, while learners who install Valkey today get the 9.x line. A finished
# build is reused. Run by `npm run setup -- --valkey 9.1` (and by `npm run notebooks -- --valkey 9.1` when
# no build is there yet); needs root on Debian, like set-up's other packages.
#
# The source comes through apt, from the machine's own Debian mirror (and apt's proxy, if it has one), with a
# sources file and index lists of its own under .lab/valkey-9.1/apt: the system's apt lists are not touched.
# What is built is Valkey's release tarball as Debian ships it (checked by apt against Debian's signed index),
# with the dependencies bundled in it; Debian's own patches are packaging and are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/debian-apt.sh

VERSION=9.1.2
PACKAGE_VERSION=9.1.2-1
home=.lab/valkey-9.1
bin=$home/bin
log=$home/build.log

say() { printf '[valkey 9.1] %s\n' "$*"; }
fail() { printf '[valkey 9.1] %s\n' "$*" >&2; exit 1; }

built() {
  [ -x "$bin/valkey-cli" ] && [ -x "$bin/valkey-benchmark" ] && [ -x "$bin/valkey-server" ] \
    && "$bin/valkey-server" --version 2>/dev/null | grep -q "v=$VERSION "
}
if built; then
  say "Valkey $VERSION is built already: $bin"
  exit 0
fi

# --- Where it can be built ---------------------------------------------------------------------------------
if [ -z "$(debian_codename)" ] || ! command -v apt-get >/dev/null; then
  fail "Valkey $VERSION is built from Debian's source package, and this machine is not Debian. Install Valkey 9.1 another way (README: \"Valkey 9.1\"), then point VALKEY_SERVER_BIN, VALKEY_CLI_BIN and VALKEY_BENCHMARK_BIN at it."
fi
[ "$(id -u)" = 0 ] \
  || fail "Building Valkey $VERSION needs root (apt installs the build tools and fetches Debian's source package): run it as root, e.g. sudo npm run setup -- --valkey 9.1."
mkdir -p "$home"
: > "$log"

# --- Build tools; OpenSSL's headers so the build speaks TLS ------------------------------------------------
missing=()
for package in build-essential pkg-config libssl-dev; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing the build tools: ${missing[*]}"
  apt-get update -qq >>"$log" 2>&1 || true
  for package in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >>"$log" 2>&1 \
      || [ "$package" = libssl-dev ] \
      || fail "Could not install $package from your Debian mirror: see $log."
  done
fi
tls=no
dpkg-query -W -f '${Status}' libssl-dev 2>/dev/null | grep -q 'ok installed' && tls=yes
[ "$tls" = yes ] || say "libssl-dev is not installable here: building without TLS"

# --- The source package, from your Debian mirror ------------------------------------------------------------
mirror=$(debian_mirror)
[ -n "$mirror" ] \
  || fail "Found no Debian mirror in your apt sources (apt-get indextargets lists none for $(debian_codename)): add your release's suite to the apt sources, then run this again."
mkdir -p "$home/apt/sources.list.d" "$home/apt/lists/partial" "$home/download"
echo "deb-src $mirror sid main" > "$home/apt/sources.list.d/debian-unstable-source.list"
apt_own=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$PWD/$home/apt/sources.list.d"
  -o "Dir::State::Lists=$PWD/$home/apt/lists"
  # No package caches: those under /var/cache/apt belong to the system's sources.
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
  # The download folder is root's; apt's sandbox user could not write there.
  -o "APT::Sandbox::User=root"
)
say "fetching Debian unstable's source package valkey $PACKAGE_VERSION from your Debian mirror"
apt-get -q "${apt_own[@]}" update >>"$log" 2>&1 \
  || fail "Could not read Debian unstable's source index (deb-src, suite sid) from your Debian mirror: see $log. The machine must reach its Debian mirror (directly or through apt's proxy)."
(cd "$home/download" && apt-get -q "${apt_own[@]}" source --download-only "valkey=$PACKAGE_VERSION") >>"$log" 2>&1 \
  || fail "Your Debian mirror has no source package valkey $PACKAGE_VERSION in unstable (it may have moved on to a newer one): see $log."
tarball=$(ls "$home/download/valkey_$VERSION.orig.tar."* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || fail "apt fetched valkey $PACKAGE_VERSION but no release tarball came with it: see $log."
rm -rf "$home/src"
mkdir -p "$home/src"
tar -xf "$tarball" -C "$home/src" --strip-components=1

# --- make, with a progress line while it runs -----------------------------------------------------------------
jobs=$(nproc 2>/dev/null || echo 2)
say "building Valkey $VERSION (make -j$jobs, TLS: $tls): a few minutes on 2 cores; log in $log"
started=$(date +%s)
# The ceiling keeps Valkey's release header from taking the lab's own git commit for Valkey's.
GIT_CEILING_DIRECTORIES="$PWD/$home" make -C "$home/src" -j"$jobs" BUILD_TLS="$tls" >>"$log" 2>&1 &
make_pid=$!
while kill -0 "$make_pid" 2>/dev/null; do
  sleep 5
  elapsed=$(( $(date +%s) - started ))
  [ $(( elapsed % 30 )) -lt 5 ] && kill -0 "$make_pid" 2>/dev/null && say "  still building ($elapsed s)"
done
if ! wait "$make_pid"; then
  tail -n 5 "$log" >&2
  fail "Building Valkey $VERSION failed (make, after $(( $(date +%s) - started )) s): the whole log is $log."
fi
seconds=$(( $(date +%s) - started ))

mkdir -p "$bin"
for tool in valkey-server valkey-cli valkey-benchmark; do cp "$home/src/src/$tool" "$bin/$tool"; done
built || fail "The build finished but $bin/valkey-server does not say v=$VERSION: see $log."
# What the lab and the tests read about this build (its version, whether it has TLS, how long it took).
printf '{ "version": "%s", "package": "%s", "tls": %s, "buildSeconds": %s, "builtAt": "%s" }\n' \
  "$VERSION" "$PACKAGE_VERSION" "$([ "$tls" = yes ] && echo true || echo false)" "$seconds" \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$home/build.json"
# The objects are no longer needed (the binaries are copied); the log and the download stay.
rm -rf "$home/src"
say "built Valkey $VERSION in $seconds s (TLS: $tls): $bin"
