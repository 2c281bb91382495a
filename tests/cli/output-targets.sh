#!/usr/bin/env bash
# Where outputs go and how (docs/reports.md, "How reports are written"):
# devices and FIFOs are written into, never replaced; -o - is standard
# output; a replaced report keeps its mode; an output that is an input is
# refused; and a run writes all its reports or none, so a failed or
# interrupted run leaves the previous reports byte for byte as they were.
. "$(dirname "$0")/../server/fetch-lib.sh"
R=rules/default.yaml
IN=samples/images.jsonl
NOW=(--now 2026-11-27T08:00:00Z)
LATER=(--now 2026-12-01T08:00:00Z)
REP=("$IMGAUDIT" report --rules $R --input $IN)

# eq_file NAME FILE TEXT: FILE holds exactly TEXT and a newline.
eq_file() {
  printf '%s\n' "$3" > "$T/$1.want"
  same "$1" "$2" "$T/$1.want"
}
# unchanged NAME DIR BACKUP: every file in DIR is byte-identical to its
# copy in BACKUP, and DIR holds nothing else (no temporary file).
unchanged() {
  if diff -r "$2" "$3" >/dev/null; then pass; else fail "$1: $2 changed"; diff -r "$2" "$3" | head -5 >&2; fi
}

# The reference reports, written to ordinary files.
for f in csv json html xlsx; do
  run "ref-$f" 0 "${REP[@]}" "${NOW[@]}" -q -o "$T/ref.$f"
done

# ---- devices: written into, never replaced ----
# Private copies of /dev/null and /dev/full when we may make device nodes
# (root), so that no broken build can replace the real ones; the real
# ones otherwise (which a non-root run could never replace).
if mknod "$T/null" c 1 3 2>/dev/null && mknod "$T/full" c 1 7 2>/dev/null &&
   mknod "$T/null.json" c 1 3 2>/dev/null && mknod "$T/full.json" c 1 7 2>/dev/null &&
   : > "$T/null"; then
  NULLDEV=$T/null FULLDEV=$T/full NULLJSON=$T/null.json FULLJSON=$T/full.json
elif [[ $(id -u) -ne 0 ]]; then
  NULLDEV=/dev/null FULLDEV=/dev/full NULLJSON= FULLJSON=
else
  NULLDEV= FULLDEV= NULLJSON= FULLJSON=
  echo "SKIP: root without mknod: device targets not checked (the real /dev is not risked)"
fi
if [[ -n "$NULLDEV" ]]; then
  for f in csv json html xlsx; do
    run "null-$f" 0 "${REP[@]}" "${NOW[@]}" -q --format $f -o "$NULLDEV"
    [[ -c "$NULLDEV" ]] && pass || fail "null-$f: $NULLDEV is no longer a character device"
    # A full device is a write error in every format, XLSX included
    # (written to a temporary file, then copied), with one message.
    run "full-$f" 4 "${REP[@]}" "${NOW[@]}" -q --format $f -o "$FULLDEV"
    eq_file "full-$f" "$T/full-$f.err" "$FULLDEV: error: cannot write: No space left on device"
    [[ -c "$FULLDEV" ]] && pass || fail "full-$f: $FULLDEV is no longer a character device"
  done
  # Without -q the summary says which reports were written: none.
  run full-summary 4 "${REP[@]}" "${NOW[@]}" --format csv -o "$FULLDEV"
  lacks full-summary "$T/full-summary.out" "Reports:"
  # Standard output on a full device.
  run stdout-full 4 bash -c '"$@" > "'"$FULLDEV"'"' _ "${REP[@]}" "${NOW[@]}" -q --format json -o -
  eq_file stdout-full "$T/stdout-full.err" "imgaudit: error: cannot write to standard output: No space left on device"
fi
if [[ -n "$NULLJSON" ]]; then
  # A cut HTML page never names a device as the file with every finding.
  run cut-device 0 "${REP[@]}" "${NOW[@]}" -q --html-max-findings 5 -o "$T/cut.html" -o "$NULLJSON"
  lacks cut-device "$T/cut.html" "null.json"
  has cut-device "$T/cut.html" "write a CSV, JSON or XLSX report (-o) to get all of them"
fi

# ---- standard output ----
run stdout-json 0 "${REP[@]}" "${NOW[@]}" -q --format json -o -
same stdout-json "$T/stdout-json.out" "$T/ref.json"
run stdout-xlsx 0 "${REP[@]}" "${NOW[@]}" -q --format xlsx -o -
same stdout-xlsx "$T/stdout-xlsx.out" "$T/ref.xlsx"
# The summary goes to standard error then, never into the report.
run stdout-summary 0 "${REP[@]}" "${NOW[@]}" --format csv -o -
same stdout-summary "$T/stdout-summary.out" "$T/ref.csv"
has stdout-summary "$T/stdout-summary.err" "Gate:      none (no --fail-on)"
has stdout-summary "$T/stdout-summary.err" "  standard output"
# A name for the same file as standard output is standard output too (not
# replaced under the shell's redirection).
run stdout-alias 0 "${REP[@]}" "${NOW[@]}" --format csv -o /proc/self/fd/1
same stdout-alias "$T/stdout-alias.out" "$T/ref.csv"
has stdout-alias "$T/stdout-alias.err" "Gate:      none (no --fail-on)"
run stdout-twice 2 "${REP[@]}" "${NOW[@]}" --format csv -o - -o -
eq_file stdout-twice "$T/stdout-twice.err" "imgaudit: error: -o - and -o -: standard output can take only one output"
run stdout-no-format 2 "${REP[@]}" "${NOW[@]}" -o "$T/x.csv" -o -
eq_file stdout-no-format "$T/stdout-no-format.err" "imgaudit: error: -o -: standard output has no file name to tell the format from; add --format csv, xlsx, html or json"
[[ ! -e "$T/x.csv" ]] && pass || fail "stdout-no-format: a report was written"

# ---- a FIFO: written into, stays a FIFO ----
mkfifo "$T/fifo"
timeout 60 cat "$T/fifo" > "$T/fifo.out" &
reader=$!
run fifo 0 "${REP[@]}" "${NOW[@]}" -q --format csv -o "$T/fifo"
wait $reader
same fifo "$T/fifo.out" "$T/ref.csv"
[[ -p "$T/fifo" ]] && pass || fail "fifo: $T/fifo is no longer a FIFO"

# ---- modes ----
cp "$T/ref.csv" "$T/private.csv"
chmod 600 "$T/private.csv"
run mode-kept 0 "${REP[@]}" "${LATER[@]}" -q -o "$T/private.csv"
eq_file mode-kept <(stat -c %a "$T/private.csv") 600
lacks mode-kept "$T/private.csv" "2026-11-27T08:00:00Z"   # and it was replaced
# A new report: 0666 minus the umask, as any new file (not mkstemp's 0600).
(umask 027 && "${REP[@]}" "${NOW[@]}" -q -o "$T/new027.csv")
eq_file mode-new-027 <(stat -c %a "$T/new027.csv") 640
(umask 022 && "${REP[@]}" "${NOW[@]}" -q -o "$T/new022.csv")
eq_file mode-new-022 <(stat -c %a "$T/new022.csv") 644
# A symbolic link stays a link; the file it points to gets the report.
cp "$T/ref.json" "$T/real.csv"
ln -s real.csv "$T/link.csv"
run symlink 0 "${REP[@]}" "${NOW[@]}" -q -o "$T/link.csv"
[[ -L "$T/link.csv" ]] && pass || fail "symlink: the link was replaced"
same symlink "$T/real.csv" "$T/ref.csv"

# ---- an output that is an input: refused before any work ----
cp $IN "$T/in.jsonl"
cp "$T/in.jsonl" "$T/in.bak"
ln "$T/in.jsonl" "$T/hard.json"
cp $R "$T/r.yaml"
cp "$T/r.yaml" "$T/r.bak"
run same-input 2 "$IMGAUDIT" report --rules $R --input "$T/in.jsonl" --format json -o "$T/in.jsonl"
eq_file same-input "$T/same-input.err" "imgaudit: error: -o $T/in.jsonl is the same file as --input $T/in.jsonl, which it would overwrite; choose another output file"
run same-input-dot 2 bash -c 'cd "$1" && shift && "$@"' _ "$T" "$IMGAUDIT" report --rules "$SRCDIR/$R" \
  --input in.jsonl -o ./in.jsonl --format json
eq_file same-input-dot "$T/same-input-dot.err" "imgaudit: error: -o ./in.jsonl is the same file as --input in.jsonl, which it would overwrite; choose another output file"
run same-input-link 2 "$IMGAUDIT" report --rules $R --input "$T/in.jsonl" -o "$T/hard.json"
eq_file same-input-link "$T/same-input-link.err" "imgaudit: error: -o $T/hard.json is the same file as --input $T/in.jsonl, which it would overwrite; choose another output file"
run same-rules 2 "$IMGAUDIT" report --rules "$T/r.yaml" --input $IN --format json -o "$T/r.yaml"
eq_file same-rules "$T/same-rules.err" "imgaudit: error: -o $T/r.yaml is the same file as --rules $T/r.yaml, which it would overwrite; choose another output file"
cp templates/report.html "$T/t.html"
run same-template 2 "${REP[@]}" --template "$T/t.html" -o "$T/t.html"
eq_file same-template "$T/same-template.err" "imgaudit: error: -o $T/t.html is the same file as --template $T/t.html, which it would overwrite; choose another output file"
same same-input-kept "$T/in.jsonl" "$T/in.bak"
same same-rules-kept "$T/r.yaml" "$T/r.bak"
same same-template-kept "$T/t.html" templates/report.html
# Two outputs that are one file, even before it exists.
run same-outputs 2 "${REP[@]}" -o "$T/d.csv" -o "$T/./d.csv"
eq_file same-outputs "$T/same-outputs.err" "imgaudit: error: -o $T/d.csv and -o $T/./d.csv are the same file; give each output its own file"
run same-snapshot 2 "$IMGAUDIT" report --rules $R --save-snapshot "$T/s.json" -o "$T/s.json"
eq_file same-snapshot "$T/same-snapshot.err" "imgaudit: error: -o $T/s.json and --save-snapshot $T/s.json are the same file; give each output its own file"
[[ ! -e "$T/d.csv" && ! -e "$T/s.json" ]] && pass || fail "same-outputs: a file was written"

# ---- all reports or none ----
mkdir "$T/old"
run old 0 "${REP[@]}" "${NOW[@]}" -q -o "$T/old/r.csv" -o "$T/old/r.json" -o "$T/old/r.html" -o "$T/old/r.xlsx"
cp -a "$T/old" "$T/old.bak"
# A later run whose last report cannot be written (a directory in its
# place) writes none: the four earlier ones are not renamed.
mkdir "$T/isdir.csv"
run fail-dir 4 "${REP[@]}" "${LATER[@]}" -o "$T/old/r.csv" -o "$T/old/r.json" -o "$T/old/r.html" \
  -o "$T/old/r.xlsx" -o "$T/isdir.csv"
has fail-dir "$T/fail-dir.err" "$T/isdir.csv: error: cannot write: Is a directory"
lacks fail-dir "$T/fail-dir.out" "Reports:"
unchanged fail-dir "$T/old" "$T/old.bak"
# The same when the failure comes last of all, copying into a full device.
if [[ -n "$FULLJSON" ]]; then
  run fail-copy 4 "${REP[@]}" "${LATER[@]}" -q -o "$T/old/r.csv" -o "$T/old/r.json" \
    -o "$T/old/r.html" -o "$T/old/r.xlsx" -o "$FULLJSON"
  eq_file fail-copy "$T/fail-copy.err" "$FULLJSON: error: cannot write: No space left on device"
  unchanged fail-copy "$T/old" "$T/old.bak"
fi
# Interrupted: the run blocks opening a FIFO nobody reads, after every
# report is in its temporary file; Ctrl-C then removes them all.
mkdir "$T/spool"
mkfifo "$T/block.json"
TMPDIR="$T/spool" "${REP[@]}" "${LATER[@]}" -q -o "$T/old/r.csv" -o "$T/old/r.json" \
  -o "$T/old/r.html" -o "$T/old/r.xlsx" -o "$T/block.json" >"$T/int.out" 2>"$T/int.err" &
pid=$!
for _ in $(seq 1 100); do
  [[ $(ls -A "$T/old" | grep -c '\.tmp-') -eq 4 && $(ls -A "$T/spool" | wc -l) -eq 1 ]] && break
  sleep 0.1
done
sleep 0.5
eq_file int-temporaries <(ls -A "$T/old" | grep -c '\.tmp-') 4
kill -INT $pid
wait $pid
eq_file int-status <(echo $?) 130
unchanged interrupted "$T/old" "$T/old.bak"
eq_file int-spool-empty <(ls -A "$T/spool" | wc -l) 0
# And a run that succeeds replaces them all.
run all 0 "${REP[@]}" "${LATER[@]}" -q -o "$T/old/r.csv" -o "$T/old/r.json" -o "$T/old/r.html" -o "$T/old/r.xlsx"
for f in csv json html xlsx; do
  cmp -s "$T/old/r.$f" "$T/old.bak/r.$f" && fail "all: r.$f was not replaced" || pass
done

# ---- snapshots: fetch -o and --save-snapshot ----
export HUAWEICLOUD_SDK_AK=AKOUT HUAWEICLOUD_SDK_SK=SKoutputs0123456789
gen_data 30 7 "$T/data.jsonl"
start_server "$T/data.jsonl" --project-id pid1 --ak AKOUT --sk SKoutputs0123456789
run fetch-stdout 0 "$IMGAUDIT" fetch "${C[@]}" -q -o -
same_records fetch-stdout "$T/fetch-stdout.out" "$T/served.jsonl"
if [[ -n "$NULLDEV" ]]; then
  run fetch-null 0 "$IMGAUDIT" fetch "${C[@]}" -q -o "$NULLDEV"
  [[ -c "$NULLDEV" ]] && pass || fail "fetch-null: $NULLDEV is no longer a character device"
  run fetch-full 4 "$IMGAUDIT" fetch "${C[@]}" -q -o "$FULLDEV"
  eq_file fetch-full "$T/fetch-full.err" "$FULLDEV: error: cannot write: No space left on device"
fi
# A snapshot kept in a FIFO: the report is still made from the pull.
mkfifo "$T/snap.fifo"
timeout 60 cat "$T/snap.fifo" > "$T/snap.out" &
reader=$!
run save-fifo 0 "$IMGAUDIT" report "${C[@]}" --rules $R -q --save-snapshot "$T/snap.fifo" -o "$T/pulled.json"
wait $reader
same_records save-fifo "$T/snap.out" "$T/served.jsonl"
has save-fifo "$T/pulled.json" '"records_received": 30'
[[ -p "$T/snap.fifo" ]] && pass || fail "save-fifo: the FIFO was replaced"
# On standard output, with the summary on standard error.
run save-stdout 0 "$IMGAUDIT" report "${C[@]}" --rules $R --save-snapshot - -o "$T/pulled2.json"
same_records save-stdout "$T/save-stdout.out" "$T/served.jsonl"
has save-stdout "$T/save-stdout.err" "  standard output (snapshot)"
has save-stdout "$T/pulled2.json" '"records_received": 30'
finish
