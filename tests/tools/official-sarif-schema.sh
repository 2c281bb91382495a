#!/usr/bin/env bash
# Print the path of the official SARIF 2.1.0 JSON schema (OASIS
# sarif-2.1.0-rtm.5, the final text of the standard), fetching it once
# into a cache folder. The schema is not redistributed in this
# repository; it reaches the tests the way other test-only material does,
# from a package registry: Microsoft's @microsoft/jest-sarif npm package
# ships it unchanged as lib/schemas/sarif-2.1.0-rtm.5.json. The package
# version and the file's SHA-256 are pinned, so a changed or substituted
# schema fails the tests instead of silently validating against
# something else.
#   tests/tools/official-sarif-schema.sh CACHE_DIR
# Exit 1 with a message saying what to do when it cannot be had.
set -euo pipefail
cache=${1:?usage: official-sarif-schema.sh CACHE_DIR}
pkg=@microsoft/jest-sarif@1.0.0-beta.0
member=package/lib/schemas/sarif-2.1.0-rtm.5.json
sha=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
out=$cache/sarif-2.1.0-rtm.5.json

if [[ -f $out ]] && echo "$sha  $out" | sha256sum -c --status; then
  echo "$out"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "official-sarif-schema: npm is missing; run scripts/setup.sh --test (it installs Debian's npm)" >&2
  exit 1
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>npm.err); then
  echo "official-sarif-schema: 'npm pack $pkg' failed:" >&2
  sed 's/^/  /' "$tmp/npm.err" >&2
  exit 1
fi
tar -xzf "$tmp"/*.tgz -C "$tmp" "$member"
if ! echo "$sha  $tmp/$member" | sha256sum -c --status; then
  echo "official-sarif-schema: $pkg ships a schema whose SHA-256 is not $sha; refusing it" >&2
  exit 1
fi
mv "$tmp/$member" "$out"
echo "$out"
