#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The performance table of issue 10 (docs/performance.md), in one command:
#
#   bench/run.sh [N ...]        default: 100000 1000000
#
# For each N, on N generated records of JSON Lines (tests/tools/gen_images.py,
# seed 7; about 850 bytes a record, kept in $BENCH_DIR between runs), one
# run of each, with wall time and peak RSS (/usr/bin/time):
#   decode floor   bench/decode_floor.cpp: simdjson On-Demand reads every
#                  value of every record, and nothing else
#   jq peer        jq 1.6, five of the default rules to @csv (bench/peer.jq)
#   imgaudit CSV   report --rules rules/default.yaml -o r.csv
#   imgaudit all   the same writing CSV, XLSX, HTML and JSON
#   XLSX floor     bench/xlsx_floor.c: libxlsxwriter in constant-memory mode
#                  writing as many cells as imgaudit's workbook holds
#                  (counted in the workbook's sheets), rows of 30, half
#                  numbers, half short strings (the issue's floor)
#   content floor  the same program writing imgaudit's content: as many
#                  cells, the same share of string cells, of the same
#                  mean length (also counted in the workbook)
# then the ratios the issue sets targets for, and, with two or more N,
# how peak RSS grows from the smallest to the largest.
#
# Environment: BUILD_DIR (default build) holds a built imgaudit;
# BENCH_DIR (default /tmp/imgaudit-bench) keeps the generated inputs;
# JOBS is passed as --jobs (default: imgaudit's, one per core). The
# reports are written to a temporary directory and removed. 1,000,000
# records take about 850 MB for the input and 2 GB more for the reports
# while a run lasts: mind the disk (df -h "$BENCH_DIR" "${TMPDIR:-/tmp}").
set -euo pipefail
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRCDIR"
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/imgaudit
BENCH_DIR=${BENCH_DIR:-/tmp/imgaudit-bench}
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(100000 1000000)
[[ -x $BIN ]] || { echo "bench/run.sh: build imgaudit first ($BIN)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench/run.sh: needs jq" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/imgaudit-run.XXXXXX")
trap 'rm -rf "$T"' EXIT
tmp=$T
. bench/lib.sh
mkdir -p "$BENCH_DIR"

g++ -O2 -std=c++17 -o "$T/decode_floor" bench/decode_floor.cpp -lsimdjson
cc -O2 -std=c11 -o "$T/xlsx_floor" bench/xlsx_floor.c -lxlsxwriter
JOBARGS=()
[[ -n ${JOBS:-} ]] && JOBARGS=(--jobs "$JOBS")
REPORT=("$BIN" report --rules rules/default.yaml --now 2026-11-27T08:00:00Z -q "${JOBARGS[@]}")

# cells FILE.xlsx: how many cells its worksheets hold, how many of them
# are strings and the strings' bytes, counted in the sheets' XML.
cells() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
text = re.compile(rb"<t(?: [^>]*)?>([^<]*)</t>")
cells = strings = chars = 0
def count(data):
    global cells, strings, chars
    cells += data.count(b"<c ")
    strings += data.count(b't="inlineStr"')
    chars += sum(map(len, text.findall(data)))
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with z.open(name) as f:
                tail = b""
                while chunk := f.read(1 << 24):
                    data = tail + chunk
                    cut = data.rfind(b"<c ")    # whole cells only
                    cut = cut if cut > 0 else len(data)
                    count(data[:cut])
                    tail = data[cut:]
                count(tail)
print(cells, strings, chars)
PY
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

echo "## imgaudit report, issue 10 table"
echo
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $("$BIN" --version 2>/dev/null | head -1 || true), jobs: ${JOBS:-default ($(nproc))}; $(jq --version); simdjson $(pkg-config --modversion simdjson); libxlsxwriter $(pkg-config --modversion xlsxwriter)"
echo "- $(date -u +%Y-%m-%dT%H:%M:%SZ), bench/run.sh ${SIZES[*]}"
echo
echo "| records | what | seconds | CPU seconds | peak RSS |"
echo "|---:|---|---:|---:|---:|"
declare -A RSS_CSV RSS_ALL RATIOS
for n in "${SIZES[@]}"; do
  in=$(bench_input "$n")
  cat "$in" >/dev/null     # cached, as every run but the first finds it (lib.sh)
  read -r floor_s floor_c floor_k < <(measure "$T/decode_floor" "$in")
  read -r jq_s jq_c jq_k < <(measure sh -c 'jq -r -f bench/peer.jq "$1" > "$2"' sh "$in" "$T/jq.csv")
  rm -f "$T/jq.csv"
  read -r csv_s csv_c csv_k < <(measure "${REPORT[@]}" --input "$in" -o "$T/r.csv")
  rm -f "$T/r.csv"
  read -r all_s all_c all_k < <(measure "${REPORT[@]}" --input "$in" -o "$T/r.csv" -o "$T/r.xlsx" \
    -o "$T/r.html" -o "$T/r.json")
  read -r ncells nstrings nchars < <(cells "$T/r.xlsx")
  rm -f "$T"/r.*
  read -r xf_s xf_c xf_k < <(measure "$T/xlsx_floor" "$T/f.xlsx" "$ncells")
  rm -f "$T/f.xlsx"
  permille=$(awk -v s="$nstrings" -v c="$ncells" 'BEGIN { printf "%d", c ? s * 1000 / c + 0.5 : 0 }')
  tlen=$(awk -v t="$nchars" -v s="$nstrings" 'BEGIN { l = s ? t / s + 0.5 : 1; printf "%d", (l < 1 ? 1 : (l > 1000 ? 1000 : l)) }')
  read -r xc_s xc_c xc_k < <(measure "$T/xlsx_floor" "$T/f.xlsx" "$ncells" 30 "$permille" "$tlen")
  rm -f "$T/f.xlsx"
  printf '| %s | decode floor (simdjson, every field) | %s | %s | %s |\n' "$n" "$floor_s" "$floor_c" "$(mb "$floor_k")"
  printf '| %s | jq 1.6 peer, 5 rules to @csv | %s | %s | %s |\n' "$n" "$jq_s" "$jq_c" "$(mb "$jq_k")"
  printf '| %s | **imgaudit, CSV only** | **%s** | %s | **%s** |\n' "$n" "$csv_s" "$csv_c" "$(mb "$csv_k")"
  printf '| %s | imgaudit, all four formats (%s XLSX cells) | %s | %s | %s |\n' "$n" "$ncells" "$all_s" "$all_c" "$(mb "$all_k")"
  printf '| %s | XLSX floor (libxlsxwriter, %s cells, constant memory) | %s | %s | %s |\n' "$n" "$ncells" "$xf_s" "$xf_c" "$(mb "$xf_k")"
  printf '| %s | XLSX content floor (the same, %s.%s %% strings of %s bytes) | %s | %s | %s |\n' "$n" \
    "$((permille / 10))" "$((permille % 10))" "$tlen" "$xc_s" "$xc_c" "$(mb "$xc_k")"
  RSS_CSV[$n]=$csv_k
  RSS_ALL[$n]=$all_k
  floors=$(awk -v a="$floor_s" -v b="$xf_s" 'BEGIN { print a + b }')
  cfloors=$(awk -v a="$floor_s" -v b="$xc_s" 'BEGIN { print a + b }')
  RATIOS[$n]="| $n | $(ratio "$jq_s" "$csv_s")x (>= 5) | $(ratio "$csv_s" "$floor_s")x (<= 2.5) | $(ratio "$all_s" "$floors")x (<= 1.3) | $(ratio "$all_s" "$cfloors")x | $(mb "$csv_k") / $(mb "$all_k") (<= 256 MB) |"
done
echo
echo "| records | CSV: faster than jq | CSV / decode floor | all / (decode + XLSX floor) | all / (decode + content floor) | peak RSS CSV / all |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do echo "${RATIOS[$n]}"; done
if ((${#SIZES[@]} > 1)); then
  lo=${SIZES[0]} hi=${SIZES[-1]}
  echo
  echo "Peak RSS at $hi over $lo records: CSV $(ratio "${RSS_CSV[$hi]}" "${RSS_CSV[$lo]}")x," \
    "all formats $(ratio "${RSS_ALL[$hi]}" "${RSS_ALL[$lo]}")x (target <= 1.5)."
fi
echo
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
