"""A fake 알림톡/SMS provider on 127.0.0.1 speaking the SOLAPI v4 form that ``HttpProviderBackend`` uses.

It checks the HMAC signature like the real API, keeps every accepted message, and can be told to behave
badly: answer 503 to the next N requests, refuse 알림톡 for some numbers (people without KakaoTalk), or
hold requests without answering until the test lets go (a provider that went silent mid-send).
"""

import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "fake-key"
API_SECRET = "fake-secret"
NOT_ON_KAKAOTALK = "3104"


class FakeMessageProvider:
    def __init__(self):
        self.accepted = []  # every message the provider took: the "delivered" list
        self.requests = []  # every request that reached it, accepted or not
        self.unavailable_for = 0
        self.no_kakaotalk = set()  # numbers (digits) whose 알림톡 is refused
        self.rejected_numbers = set()  # numbers the provider refuses outright
        self._answer = threading.Event()
        self._answer.set()
        self.held = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._answer.set()
        self.server.shutdown()
        self.server.server_close()

    def hold(self):
        """Take requests but answer none until ``let_go()``."""
        self._answer.clear()
        self.held.clear()

    def let_go(self):
        self._answer.set()

    def delivered_to(self, phone):
        digits = re.sub(r"\D", "", phone)
        return [message for message in self.accepted if message["to"] == digits]

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                if self.path != "/messages/v4/send":
                    return self._json(404, {"errorCode": "NotFound"})
                if not _signature_ok(self.headers.get("Authorization", "")):
                    return self._json(401, {"errorCode": "InvalidSignature", "errorMessage": "bad signature"})
                message = payload["message"]
                with provider.lock:
                    provider.requests.append(message)
                    if provider.unavailable_for:
                        provider.unavailable_for -= 1
                        return self._json(503, {"errorCode": "ServiceUnavailable", "errorMessage": "busy"})
                if not provider._answer.is_set():
                    provider.held.set()
                    provider._answer.wait(timeout=120)
                    return  # the connection closes without an answer
                if message["to"] in provider.rejected_numbers:
                    return self._json(
                        400, {"errorCode": "ValidationError", "errorMessage": "수신번호 형식 오류"}
                    )
                if message["type"] == "ATA" and message["to"] in provider.no_kakaotalk:
                    return self._json(
                        200, {"statusCode": NOT_ON_KAKAOTALK, "statusMessage": "카카오톡 미사용자"}
                    )
                with provider.lock:
                    provider.accepted.append(message)
                    number = len(provider.accepted)
                return self._json(
                    200, {"statusCode": "2000", "statusMessage": "정상 접수", "messageId": f"M{number}"}
                )

            def _json(self, status, body):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _signature_ok(header):
    match = re.fullmatch(
        r"HMAC-SHA256 apiKey=(?P<key>[^,]+), date=(?P<date>[^,]+), salt=(?P<salt>[^,]+), signature=(?P<sig>\w+)",
        header,
    )
    if not match or match["key"] != API_KEY:
        return False
    expected = hmac.new(
        API_SECRET.encode(), f"{match['date']}{match['salt']}".encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, match["sig"])
