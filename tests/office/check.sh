#!/usr/bin/env bash
# The exported workbook in a real office suite: LibreOffice (headless) opens it without a
# repair and prints it to PDF; the PDF's text holds every action's title; its first pages
# are kept as pictures under target/ to look at.
#   tests/office/check.sh path/to/iisg
set -euo pipefail
bin=${1:-target/release/iisg}
out=target/office
rm -rf "$out" && mkdir -p "$out"
"$bin" export --format xlsx -o "$out/plan.xlsx"
timeout 180 soffice --headless --norestore --convert-to pdf --outdir "$out" "$out/plan.xlsx" >"$out/soffice.log" 2>&1
test -s "$out/plan.pdf" || { echo "LibreOffice made no PDF:"; cat "$out/soffice.log"; exit 1; }
pdftotext -layout "$out/plan.pdf" "$out/plan.txt"
missing=0
while IFS= read -r title; do
  # Titles wrap in their cells: look for their first three words.
  words=$(printf '%s' "$title" | awk '{print $1, $2, $3}' | sed 's/ *$//')
  if ! tr -s ' \n' ' ' <"$out/plan.txt" | grep -qF -- "$words"; then
    echo "not in the PDF: $title"; missing=1
  fi
done < <("$bin" list --format json | python3 -c 'import json,sys; [print(a["title"]) for a in json.load(sys.stdin)]')
pdftoppm -r 60 -png -f 1 -l 2 "$out/plan.pdf" "$out/page"
[ "$missing" = 0 ] && echo "office: the workbook opens and prints every action ($out/page-1.png)"
exit "$missing"
