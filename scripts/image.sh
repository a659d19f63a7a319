#!/usr/bin/env bash
# Builds the backend container image (deploy/Dockerfile) with buildah: no Docker engine, no registry.
#
# Usage: scripts/image.sh [--refresh-base] [TAG]
#   TAG defaults to the git commit (`git describe --always --dirty --abbrev=12`), or "local" outside git.
#   Prints the image reference (localhost/bet2wealth-backend:TAG) on stdout; progress goes to stderr.
#
# No registry is reachable here, so the Dockerfile's bases are made locally, once: debootstrap
# --variant=minbase bookworm from this machine's own Debian mirror (read from its apt configuration),
# committed as docker.io/library/debian:bookworm and, slimmed the way the official image is,
# as docker.io/library/debian:bookworm-slim (plus localhost/debian:* aliases). `FROM debian:bookworm`
# then resolves to them with --pull=never and the Dockerfile stays exactly what CI builds with Docker.
# Reruns skip debootstrap and reuse buildah's layer cache (and a ccache cache mount) for the rest.
#
# Options and environment:
#   --refresh-base, B2W_REFRESH_BASE=1   rebuild the bases (e.g. for Debian security updates)
#   B2W_DEBIAN_MIRROR=<url>              use this mirror instead of the apt configuration's
#   JOBS=<n>                             compiler parallelism inside the build (default: all CPUs)
#   B2W_IMAGE_KEEP=<n>                   bet2wealth-backend images kept after pruning (default 3)
#   B2W_BUILDAH_ROOT, B2W_BUILDAH_RUNROOT another buildah storage (default: the system one); always vfs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

refresh_base="${B2W_REFRESH_BASE:-0}"
tag=""
for arg in "$@"; do
  case "$arg" in
    --refresh-base) refresh_base=1 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "image.sh: unknown option $arg" >&2; exit 2 ;;
    *) tag="$arg" ;;
  esac
done

# debootstrap and buildah's chroot isolation need root.
if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=B2W_DEBIAN_MIRROR,B2W_REFRESH_BASE,JOBS,B2W_IMAGE_KEEP,B2W_BUILDAH_ROOT,B2W_BUILDAH_RUNROOT "$0" "$@"
fi

"$root/scripts/deps.sh" image

log() { echo "image.sh: $*" >&2; }

buildah=(buildah --storage-driver vfs)
[ -z "${B2W_BUILDAH_ROOT:-}" ] || buildah+=(--root "$B2W_BUILDAH_ROOT")
[ -z "${B2W_BUILDAH_RUNROOT:-}" ] || buildah+=(--runroot "$B2W_BUILDAH_RUNROOT")
export BUILDAH_ISOLATION=chroot

suite=bookworm
base_full=docker.io/library/debian:$suite
base_slim=docker.io/library/debian:$suite-slim
path_env='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

image_exists() { "${buildah[@]}" inspect --type image "$1" >/dev/null 2>&1; }

# --------------------------------------------------------------------------- apt configuration
# Prints "URI SUITE" for every enabled deb source of this machine (deb822 *.sources and one-line *.list).
apt_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled !~ /^[Nn]o$/)
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
        types = ""; enabled = ""; nu = 0; ns = 0
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      tolower($1) == "types:" { types = ""; for (i = 2; i <= NF; i++) types = types " " $i; sub(/^ /, "", types) }
      tolower($1) == "enabled:" { enabled = $2 }
      tolower($1) == "uris:" { nu = 0; for (i = 2; i <= NF; i++) u[++nu] = $i }
      tolower($1) == "suites:" { ns = 0; for (i = 2; i <= NF; i++) s[++ns] = $i }
      END { flush() }
    ' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENT...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
  done
}

# The URI that serves SUITE (first match), e.g. the main mirror for "bookworm".
uri_for_suite() {
  apt_sources | awk -v want="$1" '$2 == want { print $1; exit }'
}

# --------------------------------------------------------------------------- local Debian bases
# Files the official images add (debuerreotype): apt keeps no caches and fetches no translations.
write_docker_apt_conf() {
  local rootfs="$1"
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n' \
    >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
}

# apt sources of the base, like the official image's debian.sources, pointing at this machine's mirrors.
write_apt_sources() {
  local rootfs="$1" mirror="$2" security="$3"
  rm -f "$rootfs/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$mirror" "$suite" "$suite"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$security" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$security" "$suite"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } >"$rootfs/etc/apt/sources.list.d/debian.sources"
}

# What the official -slim variant drops (debuerreotype-slimify): docs, man pages, locales.
slimify() {
  local rootfs="$1"
  mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# Drop files a container does not need (as in the official debian:*-slim images).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  local d
  for d in groff info linda lintian/overrides locale man; do
    [ ! -d "$rootfs/usr/share/$d" ] || find "$rootfs/usr/share/$d" -mindepth 1 -delete
  done
}

# Commits ROOTFS (a directory) as a one-layer image NAME, also tagged with each further name.
commit_rootfs() {
  local rootfs="$1" name="$2" ctr mnt alias
  shift 2
  ctr="$("${buildah[@]}" from --pull=never scratch)"
  mnt="$("${buildah[@]}" mount "$ctr")"
  cp -a "$rootfs/." "$mnt/"
  "${buildah[@]}" umount "$ctr" >/dev/null
  "${buildah[@]}" config --env "$path_env" --cmd bash "$ctr"
  "${buildah[@]}" commit --rm --quiet "$ctr" "$name" >/dev/null
  for alias in "$@"; do "${buildah[@]}" tag "$name" "$alias"; done
}

make_bases() {
  local mirror security arch work started
  mirror="${B2W_DEBIAN_MIRROR:-$(uri_for_suite "$suite")}"
  if [ -z "$mirror" ]; then
    echo "image.sh: no apt source for '$suite' in /etc/apt (set B2W_DEBIAN_MIRROR to a Debian mirror URL)" >&2
    exit 1
  fi
  security="$(uri_for_suite "$suite-security")"
  arch="$(dpkg --print-architecture)"
  work="$(mktemp -d /var/tmp/b2w-debootstrap.XXXXXX)"
  # shellcheck disable=SC2064 # expand $work now: it is local to this function.
  trap "rm -rf '$work'" EXIT
  started=$SECONDS
  log "debootstrap --variant=minbase $suite ($arch) from $mirror"
  debootstrap --variant=minbase --arch="$arch" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
  }
  local rootfs="$work/rootfs"
  write_apt_sources "$rootfs" "$mirror" "$security"
  write_docker_apt_conf "$rootfs"
  # No caches, logs, machine identity or package lists in the base (as in the official images).
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.bash_history "$rootfs"/debootstrap
  : >"$rootfs/etc/machine-id"
  mkdir -p "$rootfs/var/lib/apt/lists/partial"

  for name in "$base_full" "$base_slim" localhost/debian:$suite localhost/debian:$suite-slim; do
    "${buildah[@]}" rmi "$name" >/dev/null 2>&1 || true
  done
  commit_rootfs "$rootfs" "$base_full" localhost/debian:$suite
  slimify "$rootfs"
  commit_rootfs "$rootfs" "$base_slim" localhost/debian:$suite-slim
  rm -rf "$work"
  trap - EXIT
  log "bases $base_full and $base_slim ready ($((SECONDS - started)) s)"
}

if [ "$refresh_base" = 1 ] || ! image_exists "$base_full" || ! image_exists "$base_slim"; then
  make_bases
else
  log "reusing local bases $base_full, $base_slim (--refresh-base to rebuild them)"
fi

# --------------------------------------------------------------------------- the image
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [ -z "$tag" ]; then
  tag="$(git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null || echo local)"
fi
image="localhost/bet2wealth-backend:$tag"

# vfs stores every layer as a full copy (about 1 GB per build-stage step), so after a successful build only
# this build's cache chain (the intermediate images it used or made), the bases and the newest
# B2W_IMAGE_KEEP (default 3) images of bet2wealth-backend are kept.
prune() {
  local build_log="$1" keep="${B2W_IMAGE_KEEP:-3}" id name removed=0
  local -A chain=()
  while read -r id; do chain["${id:0:11}"]=1; done < <(sed -n 's/^--> \(Using cache \)\{0,1\}\([0-9a-f]\{11,64\}\)$/\2/p' "$build_log")
  while read -r id name; do
    [ "$name" = "<none>:<none>" ] || continue
    [ -z "${chain["${id:0:11}"]:-}" ] || continue
    "${buildah[@]}" rmi "$id" >/dev/null 2>&1 && removed=$((removed + 1))
  done < <("${buildah[@]}" images --all --noheading --format '{{.ID}} {{.Name}}:{{.Tag}}')
  while read -r name; do
    [ "$name" = "$image" ] || { "${buildah[@]}" rmi "$name" >/dev/null 2>&1 && removed=$((removed + 1)); }
  done < <("${buildah[@]}" images --noheading --format '{{.CreatedAtRaw}}|{{.Name}}:{{.Tag}}' \
    --filter reference=localhost/bet2wealth-backend | sort -r | tail -n +"$((keep + 1))" | cut -d'|' -f2)
  [ "$removed" -eq 0 ] || log "pruned $removed old images (vfs keeps full copies; B2W_IMAGE_KEEP=$keep)"
}

started=$SECONDS
log "building $image (buildah bud, vfs, chroot isolation)"
build_args=()
[ -z "${JOBS:-}" ] || build_args+=(--build-arg "JOBS=$JOBS")
# A machine whose egress re-signs TLS has its own CA in /usr/local/share/ca-certificates; npm inside the
# build must trust it too. The host's CA bundle is bind-mounted for the RUN steps only (never in a layer).
host_bundle=/etc/ssl/certs/ca-certificates.crt
if [ -f "$host_bundle" ] && [ -n "$(find /usr/local/share/ca-certificates -name '*.crt' 2>/dev/null | head -n 1)" ]; then
  log "trusting this machine's local CA certificates during the build (not stored in the image)"
  build_args+=(--volume "$host_bundle:/run/b2w-host-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/b2w-host-ca.crt)
fi
build_log="$(mktemp /tmp/b2w-image-build.XXXXXX)"
trap 'rm -f "$build_log"' EXIT
"${buildah[@]}" bud --isolation chroot --pull=never --layers --force-rm \
  "${build_args[@]}" \
  --label org.opencontainers.image.revision="$revision" \
  -f deploy/Dockerfile -t "$image" . 2>&1 | tee "$build_log" >&2
log "built $image in $((SECONDS - started)) s"
prune "$build_log"
echo "$image"
