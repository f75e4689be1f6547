"""A webhook receiver for the tests (unit and integration): a thread serving HTTP on 127.0.0.1 that keeps every JSON
body posted to it with its headers, in the order received, and answers ``codes`` in turn (then 204)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Webhook:
    """``got``: [(headers dict, body)] of the posts it took (answered below 300); ``port``: where it listens."""

    def __init__(self, codes=()):
        self.got, self.codes = [], list(codes)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers['Content-Length']))
                code = outer.codes.pop(0) if outer.codes else 204
                if code < 300:
                    outer.got.append((dict(self.headers), json.loads(body)))
                self.send_response(code)
                self.send_header('Content-Length', '0')
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
