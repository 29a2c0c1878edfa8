#!/usr/bin/env bash
# SpektrixAPI3 with curl and openssl: a signed GET, then a signed POST.
# BASE_URL (e.g. http://localhost:3000), API_USERNAME and API_KEY from the claim page.
set -euo pipefail
: "${BASE_URL:?}" "${API_USERNAME:?}" "${API_KEY:?}"
url="$BASE_URL/api/v3/customers"

# The key is base64: HMAC-SHA1 is keyed with its decoded bytes, given to openssl as hex.
hexkey=$(printf '%s' "$API_KEY" | openssl base64 -d -A | od -An -vtx1 | tr -d ' \n')
sign() { printf '%s' "$1" | openssl dgst -sha1 -mac HMAC -macopt "hexkey:$hexkey" -binary | openssl base64 -A; }
# The Date header, in English whatever the machine's locale; it is signed exactly as sent.
now() { LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT'; }

# GET: METHOD \n URL \n Date (no body line).
date=$(now)
signature=$(sign "GET
$url
$date")
curl -sS --fail-with-body "$url" \
  -H "Date: $date" -H "Authorization: SpektrixAPI3 $API_USERNAME:$signature"
echo

# POST: one more line, base64 of the body's raw MD5 digest (not its hex).
body='{"firstName":"Ada","lastName":"Lovelace"}'
date=$(now)
md5=$(printf '%s' "$body" | openssl dgst -md5 -binary | openssl base64 -A)
signature=$(sign "POST
$url
$date
$md5")
curl -sS --fail-with-body -X POST "$url" --data-binary "$body" \
  -H 'Content-Type: application/json' \
  -H "Date: $date" -H "Authorization: SpektrixAPI3 $API_USERNAME:$signature"
echo
