#!/usr/bin/env bash
# Make sure the browser tests have Debian's Chromium (and CJK fonts, so Chinese renders in screenshots
# and PDFs), and that the receipt tests have pdftotext (poppler-utils) to read the PDFs back. Installs what is missing when run as root; otherwise says loudly that the browser tests
# will be skipped. Quiet and quick when everything is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || packages+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)

[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    if [ ! -x "$CHROMIUM" ]; then
        echo "*** Chromium not installed and not root: browser tests will be SKIPPED ***"
    fi
    echo "*** not root, so not installing: ${packages[*]} (missing fonts render Chinese as boxes; without"
    echo "    poppler-utils the PDF receipt text checks are SKIPPED) ***"
    exit 0
fi

echo ">>> installing ${packages[*]} with apt-get (needed by the browser and receipt tests)"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run to finish instead of failing on its lock.
apt_opts=(-q -o DPkg::Lock::Timeout=600)
apt-get "${apt_opts[@]}" update >/dev/null
apt-get "${apt_opts[@]}" install -y "${packages[@]}" >/dev/null
[ -x "$CHROMIUM" ] || { echo "*** apt-get finished but $CHROMIUM is still missing ***"; exit 1; }
echo ">>> installed ${packages[*]}"
