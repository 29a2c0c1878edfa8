"""SpektrixAPI3 with Python's standard library: a signed GET, then a signed POST.

BASE_URL (e.g. http://localhost:3000), API_USERNAME and API_KEY from the claim page.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.request
from email.utils import formatdate

BASE_URL, USERNAME, KEY = os.environ["BASE_URL"], os.environ["API_USERNAME"], os.environ["API_KEY"]
URL = BASE_URL + "/api/v3/customers"


def signed(method, url, body=None):
    date = formatdate(usegmt=True)  # "Tue, 01 Dec 2026 10:00:00 GMT", signed as sent
    lines = [method, url, date]
    if body is not None:  # base64 of the raw MD5 digest of the exact bytes sent
        lines.append(base64.b64encode(hashlib.md5(body).digest()).decode())
    digest = hmac.new(base64.b64decode(KEY), "\n".join(lines).encode("utf-8"), hashlib.sha1).digest()
    signature = base64.b64encode(digest).decode()
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Date", date)
    # A non-ASCII username travels as its UTF-8 bytes (http.client sends str headers as Latin-1).
    request.add_header("Authorization", "SpektrixAPI3 %s:%s" % (USERNAME.encode("utf-8").decode("latin-1"), signature))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            print(method, response.status, response.read().decode())
            return True
    except urllib.error.HTTPError as error:
        print(method, error.code, error.read().decode())
        return False


ok = signed("GET", URL)
body = json.dumps({"firstName": "Ada", "lastName": "Lovelace"}, separators=(",", ":")).encode()
ok = signed("POST", URL, body) and ok
sys.exit(0 if ok else 1)
