#!/usr/bin/env bash
# Every exit code of `report`, and that no failed run leaves a report
# (or a temporary file) behind.
. "$(dirname "$0")/lib.sh"
R=rules/default.yaml
IN=samples/images.jsonl
NOW=(--now 2026-11-27T08:00:00Z)

# 0: no gate.
run ok 0 "$IMGAUDIT" report --rules $R --input $IN "${NOW[@]}" -o "$T/ok.csv" -o "$T/ok.json"
[[ -s "$T/ok.csv" ]] && pass || fail "report not written"
# The report fingerprints the rule file it evaluated.
has rule-sha "$T/ok.json" "\"sha256\": \"$(sha256sum $R | cut -d' ' -f1)\""
# 0: a gate that passes (the rule set has only an info rule, the gate is at low).
run gate-pass 0 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml --input $IN "${NOW[@]}" --fail-on low
has gate-pass "$T/gate-pass.out" "  --fail-on low: pass, 0 open findings at or above low"
# 1: the gate fails, and everything is still reported.
run gate-fail 1 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml --input $IN "${NOW[@]}" --fail-on info -o "$T/gate.csv"
has gate-fail "$T/gate-fail.out" "  --fail-on info: FAIL, 120 open findings at or above info"
[[ $(wc -l < "$T/gate.csv") -gt 1 ]] && pass || fail "gate failure must still write the report"
# 2: invalid rules; nothing written.
printf 'version: 1\nrules:\n  - id: X\n    title: t\n    severity: urgent\n    when: "true"\n' > "$T/bad.yaml"
run bad-rules 2 "$IMGAUDIT" report --rules "$T/bad.yaml" --input $IN -o "$T/r2.csv"
[[ ! -e "$T/r2.csv" ]] && pass || fail "invalid rules wrote a report"
# 2 from lint for a YAML tag, which used to be ignored (exit 0).
printf 'version: !!str 1\nrules: []\n' > "$T/tag.yaml"
run lint-tag 2 "$IMGAUDIT" lint "$T/tag.yaml"
has lint-tag "$T/lint-tag.err" "tag.yaml:1:10: error: YAML tag '!!str' is not supported in rule files"
# 3: malformed input; nothing written, no temporary file left.
run bad-input 3 "$IMGAUDIT" report --rules $R --input tests/data/input/bad-line3.jsonl -o "$T/r3.csv"
has bad-input "$T/bad-input.err" "tests/data/input/bad-line3.jsonl:3:"
run not-json 3 "$IMGAUDIT" report --rules $R --input tests/data/input/not-json.txt -o "$T/r3.csv"
run not-object 3 "$IMGAUDIT" report --rules $R --input tests/data/input/not-object.json -o "$T/r3.csv"
has not-object "$T/not-object.err" "is not an object"
run missing-input 3 "$IMGAUDIT" report --rules $R --input "$T/nope.jsonl" -o "$T/r3.csv"
[[ ! -e "$T/r3.csv" ]] && pass || fail "bad input wrote a report"
# 4: a report cannot be written; then none is (all or nothing, see
# output-targets.sh), and the summary lists none.
run unwritable 4 "$IMGAUDIT" report --rules $R --input $IN "${NOW[@]}" -o "$T/ok.csv/x.csv" -o "$T/w.csv"
has unwritable "$T/unwritable.err" "$T/ok.csv/x.csv: error: cannot create: Not a directory"
[[ ! -e "$T/w.csv" ]] && pass || fail "a report was written although another failed"
lacks unwritable "$T/unwritable.out" "Reports:"
lacks unwritable "$T/unwritable.out" "  $T/ok.csv/x.csv"
run no-dir 4 "$IMGAUDIT" report --rules $R --input $IN "${NOW[@]}" -o "$T/missing/x.csv" --quiet
has no-dir "$T/no-dir.err" "$T/missing/x.csv: error: cannot create: No such file or directory"
# A write failure outranks a failed gate: 4, not 1 (the gate still shows).
run gate-and-write 4 "$IMGAUDIT" report --rules tests/data/rules/every-image.yaml --input $IN \
  "${NOW[@]}" --fail-on info -o "$T/missing/g.csv"
has gate-and-write "$T/gate-and-write.out" "Gate:      FAIL"
# A directory in the target's place, in every format, XLSX included,
# whose file libxlsxwriter opens itself: exit 4, and no temporary file is
# left (checked below).
for ext in csv xlsx html json; do
  mkdir "$T/isdir.$ext"
  run "rename-$ext" 4 "$IMGAUDIT" report --rules $R --input $IN "${NOW[@]}" -o "$T/isdir.$ext" --quiet
  has "rename-$ext" "$T/rename-$ext.err" "$T/isdir.$ext: error: cannot write: Is a directory"
done
# The summary on stdout is output as well: a full disk is exit 4, said on
# stderr, and it outranks the gate.
if [[ -w /dev/full ]]; then
  run stdout-full 4 bash -c "\"$IMGAUDIT\" report --rules tests/data/rules/every-image.yaml \
    --input $IN ${NOW[*]} --fail-on info >/dev/full"
  has stdout-full "$T/stdout-full.err" "imgaudit: error: cannot write to standard output: No space left on device"
  run help-full 4 bash -c "\"$IMGAUDIT\" --help >/dev/full"
fi
# No temporary files anywhere.
leftovers=$(find "$T" -name '*.tmp-*' | wc -l)
[[ $leftovers -eq 0 ]] && pass || fail "$leftovers temporary files left"
# stdin input.
run stdin 0 bash -c "\"$IMGAUDIT\" report --rules $R --input - ${NOW[*]} -o '$T/stdin.csv' < $IN"
cmp -s "$T/stdin.csv" "$T/ok.csv" && pass || fail "stdin gives a different report than the file"
finish
