"""Creates a GitHub source on a running server and sends it K signed 1 KiB
deliveries one after another (for bench/callgrind.sh's whole-path counts).

    python3 bench/cost_requests.py BASE_URL ADMIN_TOKEN K
"""
import hashlib
import hmac
import json
import sys
import urllib.request

base, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
SECRET = "cost-secret"


def call(method, path, body, headers):
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as answer:
        return answer.status, answer.read()


_, created = call("POST", "/api/v1/sources",
                  json.dumps({"name": "cost", "preset": "github", "secrets": [SECRET]}).encode(),
                  {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
key = json.loads(created)["key"]
for n in range(count):
    body = json.dumps({"action": "opened", "number": n, "repository": {"full_name": "octo/cost"},
                       "pad": ""}).encode()
    body = body[:-2] + b"x" * (1024 - len(body)) + b'"}'
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    status, _ = call("POST", f"/webhooks/{key}", body, {
        "Content-Type": "application/json", "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": f"cost-{n}", "X-Hub-Signature-256": signature})
    assert status == 200, status
