#!/usr/bin/env bash
# Makes sure the programs the local cloud starts are installed: redis-server (behind the Upstash REST endpoint),
# Java 17+ (DynamoDB Local) and AWS CLI v2 (the operations tests); with --browser also Debian's chromium (the
# status page's browser test drives it with playwright-core; `npx playwright install` is never used). Installs the
# missing ones with apt-get when it can (root, or sudo without a password); otherwise says exactly what to run.
# Runs before `npm start` and (with --browser) `npm test`; silent when nothing is missing.
set -euo pipefail

missing=()
if [ "${1:-}" = "--browser" ] && ! [ -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  missing+=(openjdk-17-jre-headless)
fi
# AWS CLI v2 (`aws logs tail` needs it): Debian's, unless the one on PATH already is v2 (a v1 there is not enough).
if ! [ -x /usr/bin/aws ] && ! { aws --version 2>&1 | grep -q '^aws-cli/2'; }; then
  missing+=(awscli)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "breakwater: please install ${missing[*]} (no apt-get on this machine)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif sudo -n true 2>/dev/null; then
  run=(sudo)
else
  echo "breakwater: missing ${missing[*]}; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "breakwater: installing ${missing[*]} with apt-get" >&2
"${run[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
