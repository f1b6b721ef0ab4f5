#!/usr/bin/env bash
# Install the Debian packages the tracker needs, if any is missing:
#   libcairo2, libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0, fonts-dejavu-core
#     (cairosvg and WeasyPrint draw the infographics and PDF reports)
#   chromium (the end-to-end and accessibility tests drive it; optional for running the app)
#   nginx-light and systemd (the tests check the deployment kit in deploy/ with `nginx -t` and
#     `systemd-analyze verify`; nginx is installed without being started)
set -euo pipefail
PACKAGES=(libcairo2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${WITH_BROWSER:-1}" = "1" ]; then
  PACKAGES+=(chromium nginx-light systemd)
fi
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install these system packages: ${missing[*]}" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
# Debian starts a service when its package is installed; nginx here is only checked, never run.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
