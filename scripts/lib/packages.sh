# Shared by scripts/run.sh and scripts/test.sh: installs Debian packages that are missing, and only those
# (so a second run does not touch apt at all).
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "all present: $*"
  fi
}

# What berthd needs to build and run.
# Networks: CNI plugins, iptables (portmap, masquerading), iproute2 (`ip`), util-linux (`unshare`).
BERTHD_PACKAGES=(containerd runc tini libsqlite3-dev libcap-dev gzip bzip2 xz-utils zstd containernetworking-plugins iptables iproute2 util-linux)
