# Debian's apt as set-up uses it, sourced by scripts/setup.sh and scripts/build-valkey.sh.
# The mirror is never typed in: it is read from the machine's own apt sources, through apt itself, so a
# learner's mirror, a one-line sources.list or deb822 .sources files, and apt's proxy settings all apply.

# The codename of this Debian release (bookworm), or nothing elsewhere.
debian_codename() {
  (. /etc/os-release 2>/dev/null && [ "${ID:-}" = debian ] && echo "${VERSION_CODENAME:-}")
}

# The Debian mirror the machine installs its release from, as apt reads it from its sources (both the
# one-line and the deb822 format; `--no-release-info` lists entries whose indexes were never fetched).
# The release's own suite wins; its -updates or -backports suite will do. Prints nothing when there is none.
debian_mirror() {
  local codename
  codename=$(debian_codename)
  [ -n "$codename" ] || return 0
  apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE)' 2>/dev/null \
    | awk -v main="$codename" '
        $2 == main { print $1; found = 1; exit }
        !other && ($2 == main "-updates" || $2 == main "-backports") { other = $1 }
        END { if (!found && other) print other }' \
    | sed 's:/*$::'
}
