#!/usr/bin/env bash
# System packages MotCua needs beyond Python: translations, OCR, PDF fonts/rendering, the test browser,
# a software HSM for PKCS#11 signing tests. Installed from Debian when we are root and something is
# missing; otherwise we only say what is missing (a non-root developer installs it once by hand).
set -euo pipefail

PACKAGES=(
  gettext                         # compilemessages (Vietnamese / English catalogs)
  fonts-liberation2               # Liberation Serif 2.x (with Vietnamese letters) stands in for Times New Roman
  fonts-dejavu-core
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint
  poppler-utils                   # pdftoppm / pdftotext to check generated PDFs in tests
  zbar-tools                      # zbarimg reads printed barcodes/QR codes back in tests
  tesseract-ocr tesseract-ocr-vie # Vietnamese OCR
  chromium                        # browser tests (Playwright drives Debian's Chromium)
  softhsm2 opensc                 # PKCS#11 token for signing tests
)

# axe-core for the browser tests comes from npm; use the machine's Node.js when it has one.
command -v npm >/dev/null || PACKAGES+=(nodejs npm)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
