#!/usr/bin/env bash
# The exported workbook and Word document in a real office suite: LibreOffice (headless)
# opens each without a repair and prints it to PDF; the PDF's text holds every action's
# title (and the document's Annex 1 and Annex 2); its first pages are kept as pictures
# under target/office/ to look at (plan-page-*.png, paper-page-*.png).
#   tests/office/check.sh path/to/iisg
set -euo pipefail
bin=${1:-target/release/iisg}
out=target/office
rm -rf "$out" && mkdir -p "$out"
titles=$("$bin" list --format json | python3 -c 'import json,sys; [print(a["title"]) for a in json.load(sys.stdin)]')
missing=0

# Converts $out/NAME.EXT to PDF and text; every title must be in the text, and each of the
# further arguments; the first pages become NAME-page-*.png.
check() {
  local name=$1 ext=$2
  shift 2
  timeout 180 soffice --headless --norestore --convert-to pdf --outdir "$out" "$out/$name.$ext" >"$out/$name.soffice.log" 2>&1
  test -s "$out/$name.pdf" || { echo "LibreOffice made no PDF of $name.$ext:"; cat "$out/$name.soffice.log"; exit 1; }
  pdftotext -layout "$out/$name.pdf" "$out/$name.txt"
  local flat
  flat=$(tr -s ' \n' ' ' <"$out/$name.txt")
  while IFS= read -r title; do
    # Titles wrap in their cells: look for their first three words.
    words=$(printf '%s' "$title" | awk '{print $1, $2, $3}' | sed 's/ *$//')
    if ! grep -qF -- "$words" <<<"$flat"; then
      echo "not in $name.pdf: $title"; missing=1
    fi
  done <<<"$titles"
  for text in "$@"; do
    grep -qF -- "$text" <<<"$flat" || { echo "not in $name.pdf: $text"; missing=1; }
  done
  pdftoppm -r 60 -png -f 1 -l 2 "$out/$name.pdf" "$out/$name-page"
}

"$bin" export --format xlsx -o "$out/plan.xlsx"
check plan xlsx
"$bin" export --format docx -o "$out/paper.docx"
check paper docx "List of Actions" "Annex 1" "Annex 2" "Glossary"
# Annex 2's page too, for its merged outcome cells.
annex=$(python3 - "$out/paper.txt" <<'EOF'
import sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
print(next((i + 1 for i, page in enumerate(pages) if "Annex 2" in page), 1))
EOF
)
pdftoppm -r 60 -png -f "$annex" -l "$annex" "$out/paper.pdf" "$out/paper-annex-2"
[ "$missing" = 0 ] && echo "office: the workbook and the Word document open and print every action ($out/plan-page-1.png, $out/paper-page-1.png)"
exit "$missing"
