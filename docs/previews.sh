#!/usr/bin/env bash
# Regenerate the README's pictures: the first page of each report, from its PDF.
# Needs LibreOffice and poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
python build.py build data/2020-08.yaml --reports "$out" --pdf >/dev/null
for lang in ru kk; do
    pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$out/2020-08/2020-08-$lang.pdf" "docs/2020-08-$lang-page1"
done
rm -r "$out"
ls docs/*.png
