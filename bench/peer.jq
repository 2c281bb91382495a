# The jq peer for bench/run.sh: what a user would script instead of
# imgaudit, five of the default rules (rules/default.yaml) as one filter
# over JSON Lines, one CSV row per finding:
#   jq -r -f bench/peer.jq images.jsonl > findings.csv
def row($id; $severity; $msg):
  [$id, $severity, .namespace, .image_name, .image_version, .image_digest,
   .severity_level, .vul_num, .scan_status, .latest_scan_time, $msg] | @csv;
def who: "\(.namespace)/\(.image_name):\(.image_version)";

  (select((.malicious_file_num // 0) > 0)
   | row("IMG-MALWARE"; "critical"; "\(who) contains \(.malicious_file_num) malicious file(s)")),
  (select(.severity_level == "High")
   | row("IMG-HIGH-RISK"; "high"; "\(who) is rated High by HSS (\(.vul_num) vulnerabilities)")),
  (select((.vul_num // 0) >= 50)
   | row("IMG-VULNS"; "high"; "\(who) has \(.vul_num) vulnerabilities (limit 50)")),
  (select((.unsafe_setting_num // 0) > 0)
   | row("IMG-UNSAFE-SETTINGS"; "medium"; "\(who) fails \(.unsafe_setting_num) baseline check(s)")),
  (select(.scan_status == "failed" or .scan_status == "download_failed"
          or .scan_status == "image_oversized")
   | row("IMG-SCAN-FAILED"; "medium"; "\(who) scan \(.scan_status): \(.scan_failed_code) \(.scan_failed_desc)"))
