"""A webhook receiver for the delivery tests, verifying with the official
Standard Webhooks library (PyPI `standardwebhooks`), as a user's would.

Every request to any path is verified and logged; what it answers depends on
the mode the test sets with `POST /_mode` (body: ok | fail | hang | gone |
retry-after:SECONDS | slow:SECONDS, which answers 200 after that long).
`GET /_received` returns the log as JSON:
[{"webhook_id", "x_signature_ok", "content_type", "traceparent", "verified",
"error", "at", "status", "body"}].

Usage: receiver.py PORT SECRET
"""

import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT = int(sys.argv[1])
SECRET = sys.argv[2]
WEBHOOK = Webhook(SECRET)
LOCK = threading.Lock()
RECEIVED = []
MODE = ["ok"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with LOCK:
            body = json.dumps(RECEIVED).encode()
        self._answer(200, body, [("Content-Type", "application/json")])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/_mode":
            MODE[0] = body.decode()
            return self._answer(204)
        mode = MODE[0]
        try:
            WEBHOOK.verify(body, dict(self.headers.items()))
            verified, error = True, None
        except WebhookVerificationError as e:
            verified, error = False, str(e)
        status = 200
        headers = []
        if mode == "fail":
            status = 500
        elif mode == "gone":
            status = 410
        elif mode.startswith("retry-after:"):
            status = 429
            headers = [("Retry-After", mode.split(":", 1)[1])]
        elif mode == "hang":
            status = None
        delay = float(mode.split(":", 1)[1]) if mode.startswith("slow:") else 0
        with LOCK:
            RECEIVED.append({
                "webhook_id": self.headers.get("webhook-id"),
                # The simpler GitHub-style signature: HMAC of the body under
                # the secret string.
                "x_signature_ok": hmac.compare_digest(
                    self.headers.get("x-signature-256", ""),
                    "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
                ),
                "content_type": self.headers.get("content-type"),
                "traceparent": self.headers.get("traceparent"),
                "verified": verified,
                "error": error,
                "at": time.time(),
                "status": status,
                "body": json.loads(body),
            })
        if status is None:
            time.sleep(30)  # longer than the destination's timeout
            return
        # Logged first, so a test sees the attempt in flight.
        time.sleep(delay)
        answer = b"{}"
        if status == 500:
            # What an operator should see in the attempt log.
            answer = b'{"error":"the receiver fails on purpose"}'
        self._answer(status, answer, [("Content-Type", "application/json")] + headers)


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
