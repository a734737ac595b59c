#!/usr/bin/env bash
# Install what yichuang needs on Debian 12 and build it. Safe to run again: packages
# already present are not fetched, builds are incremental.
#   scripts/setup.sh            release build only
#   scripts/setup.sh --test     also debug and asan builds and test tools
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ ${1:-} == --test ]] && want_tests=1

pkgs=(build-essential cmake ninja-build pkg-config
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcurl4-openssl-dev
      libqrencode-dev espeak-ng sqlite3 fonts-noto-cjk)
if ((want_tests)); then
  pkgs+=(libcmocka-dev chromium clang clang-format zbar-tools)
  # Node.js may come from another source (e.g. NodeSource, which bundles npm); take
  # Debian's only when there is none.
  command -v node >/dev/null || pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== 安装系统软件包: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ((want_tests)) && [[ -f package.json ]]; then
  if [[ ! -d node_modules/playwright-core ]]; then
    echo "== 安装 npm 依赖"
    npm install --no-audit --no-fund --loglevel=error
  fi
fi

presets=(release)
((want_tests)) && presets=(debug asan)
for p in "${presets[@]}"; do
  echo "== 构建 ($p)"
  cmake --preset "$p" >/dev/null
  cmake --build --preset "$p"
done
