#!/usr/bin/env bash
# Configures and builds rvvm in ./build (warnings are errors), installing deps first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
if [ -f build/build.ninja ]; then
  meson configure build -Dwerror=true >/dev/null
else
  meson setup build -Dwerror=true >/dev/null
fi
ninja -C build >/dev/null
