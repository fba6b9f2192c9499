#!/usr/bin/env bash
# Installs or starts what normreg needs beyond Python: Tesseract with the Chinese models (OCR of
# scans and of PDFs whose text layer lies), LibreOffice Writer headless (legacy .doc files; also
# makes the LibreOffice PDFs of the accuracy tests), Debian's chromium (browser tests), a CJK font
# (rendering official-layout fixtures) and a running PostgreSQL (the second database).
# Each step says what it did; a step that cannot run (not root, no apt) says so and the tests that
# need it skip with a reason.
set -u

need_pkgs=()
command -v tesseract >/dev/null || need_pkgs+=(tesseract-ocr)
tess_langs=$(tesseract --list-langs 2>/dev/null || true)
echo "$tess_langs" | grep -qx chi_sim || need_pkgs+=(tesseract-ocr-chi-sim)
echo "$tess_langs" | grep -qx chi_sim_vert || need_pkgs+=(tesseract-ocr-chi-sim-vert)
command -v soffice >/dev/null || command -v libreoffice >/dev/null || need_pkgs+=(libreoffice-writer-nogui)
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk" || need_pkgs+=(fonts-wqy-microhei fontconfig)
command -v psql >/dev/null || need_pkgs+=(postgresql-client)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-system: installing ${need_pkgs[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       "${need_pkgs[@]}" >/dev/null) \
      || echo "ensure-system: could not install ${need_pkgs[*]}; tests that need them will skip"
  else
    echo "ensure-system: missing ${need_pkgs[*]} (run as root with apt to install); tests that need them will skip"
  fi
fi

if command -v tesseract >/dev/null; then
  echo "ensure-system: tesseract $(tesseract --version 2>&1 | head -n1 | awk '{print $2}') with" \
    "$(tesseract --list-langs 2>/dev/null | tail -n +2 | tr '\n' ' ')"
fi
if command -v soffice >/dev/null || command -v libreoffice >/dev/null; then
  echo "ensure-system: LibreOffice is installed (reads .doc)"
fi

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    ver=$(ls /etc/postgresql | head -n1)
    echo "ensure-system: starting PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || echo "ensure-system: PostgreSQL did not start"
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "ensure-system: PostgreSQL is up on 127.0.0.1:5432"
else
  echo "ensure-system: no PostgreSQL on 127.0.0.1:5432; PostgreSQL tests will skip"
fi
exit 0
