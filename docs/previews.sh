#!/usr/bin/env bash
# Regenerate the README's pictures: the first page of each report, and the chart at the top
# of its second page, from the PDFs.
# Needs LibreOffice and poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
python build.py build data/2020-08.yaml --reports "$out" --pdf >/dev/null
for lang in ru kk; do
    pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$out/2020-08/2020-08-$lang.pdf" "docs/2020-08-$lang-page1"
    pdftoppm -png -r 90 -f 2 -l 2 -x 0 -y 0 -W 744 -H 560 -singlefile \
        "$out/2020-08/2020-08-$lang.pdf" "docs/2020-08-$lang-chart"
done
rm -r "$out"
ls docs/*.png
