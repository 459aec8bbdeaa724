#!/usr/bin/env bash
# Set-up, safe to re-run: system packages, npm packages, the build, then the lab's own set-up
# (databases and lab user, Valkey, Jupyter kernel, dataset). Both README commands start here.
#
#   scripts/setup.sh                 everything, including the default-scale dataset on both engines
#   scripts/setup.sh --no-dataset    everything but the dataset (the tests load their own)
#   scripts/setup.sh --valkey 9.1    also builds Valkey 9.1 into .lab/valkey-9.1/bin (scripts/build-valkey.sh)
#   other flags are passed on to scripts/setup.ts (see `npx tsx scripts/setup.ts --help`)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/debian-apt.sh

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] %s\n' "$*" >&2; exit 1; }

# --valkey 9.1 is set-up's own option; the others go on to setup.ts.
build_valkey=''
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --valkey) [ "$#" -ge 2 ] || fail "--valkey takes a version: 9.1"; build_valkey=$2; shift 2 ;;
    --valkey=*) build_valkey=${1#--valkey=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$build_valkey" in
  '' | 8.0) build_valkey='' ;; # 8.0 is Debian's package, installed below
  9.1) ;;
  *) fail "--valkey takes 9.1 (built from Debian's source package) or 8.0 (Debian's package), not '$build_valkey'." ;;
esac

# --- Node.js -------------------------------------------------------------------------------------
command -v node >/dev/null || fail "Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org), then run this again."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || fail "Node.js $(node -v) is too old: the lab needs 20.19 or newer."

# --- System packages: Valkey, Jupyter and Chromium (Debian's packages) ---------------------------
# A Python that can run notebooks: Debian's /usr/bin/python3 (where apt puts nbclient) first.
find_python() {
  for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import nbclient, nbconvert' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

need_valkey=0; need_jupyter=0; need_chromium=0
if [ -z "${VALKEY_URL:-}" ] && ! grep -qs '^VALKEY_URL=.' .env && ! command -v "${VALKEY_SERVER_BIN:-valkey-server}" >/dev/null; then
  need_valkey=1
fi
find_python >/dev/null || need_jupyter=1
# The browser tests drive Debian's Chromium; only an administrator can install it, and nothing else needs it.
[ "$(id -u)" = 0 ] && [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && grep -qs bookworm /etc/os-release && need_chromium=1

if [ "$need_valkey" = 1 ] || [ "$need_jupyter" = 1 ] || [ "$need_chromium" = 1 ]; then
  packages=()
  [ "$need_jupyter" = 1 ] && packages+=(jupyter-nbconvert python3-nbclient jupyter-notebook)
  [ "$need_chromium" = 1 ] && packages+=(chromium)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && grep -qs 'bookworm' /etc/os-release; then
    if [ "$need_valkey" = 1 ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      mirror=$(debian_mirror)
      [ -n "$mirror" ] || fail "Valkey is packaged in bookworm-backports, and no Debian mirror shows in your apt sources to take it from: add your Debian mirror's bookworm-backports suite to the apt sources, then run this again."
      say "adding the bookworm-backports suite of your Debian mirror (Valkey is packaged there)"
      echo "deb $mirror bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
    fi
    say "installing system packages: ${packages[*]} $([ "$need_valkey" = 1 ] && echo valkey-server valkey-tools)"
    apt-get update -qq
    [ "${#packages[@]}" -gt 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
    [ "$need_valkey" = 1 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports valkey-server valkey-tools >/dev/null
  else
    [ "$need_valkey" = 1 ] && say "Valkey is missing. On Debian 12: add your Debian mirror's bookworm-backports suite to the apt sources ('deb <your Debian mirror> bookworm-backports main'), then: sudo apt-get install -t bookworm-backports valkey-server valkey-tools. Elsewhere: see the README (\"Valkey 9.1\"), or set VALKEY_URL in .env to a running server."
    [ "$need_jupyter" = 1 ] && say "Jupyter is missing. On Debian/Ubuntu: sudo apt-get install ${packages[*]}. Elsewhere: pip install nbclient nbconvert notebook (or jupyterlab)."
    fail "install the packages above, then run this again."
  fi
fi
find_python >/dev/null || fail "Jupyter's nbclient is still not importable; install jupyter-nbconvert and python3-nbclient."

# --- Valkey 9.1, on request ---------------------------------------------------------------------------------
if [ -n "$build_valkey" ]; then
  bash scripts/build-valkey.sh
fi

# --- npm packages and the build ------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "building the helper library"
npm run --silent build

# --- The lab itself --------------------------------------------------------------------------------
exec node_modules/.bin/tsx scripts/setup.ts ${args[@]+"${args[@]}"}
