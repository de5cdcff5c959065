"""Starts `aftermath serve` on a free loopback port for a test, and stops it with SIGTERM.

    with running_server(cli, "--today", "2026-12-10") as server:
        status, headers, body = server.post("/project", profile_bytes)

The server prints its port on stdout once it accepts connections; its access log (stderr) is
kept so that tests can read it after the server has stopped.
"""
import contextlib
import http.client
import json
import signal
import subprocess
import time


class Server:
    def __init__(self, process, port):
        self.process = process
        self.port = port
        self.log = ""

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json", headers=None):
        connection = self.connection()
        try:
            sent = dict(headers or {})
            if body is not None and content_type is not None:
                sent["Content-Type"] = content_type
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def post(self, path, body, **options):
        return self.request("POST", path, body, **options)

    def post_json(self, path, document):
        status, headers, body = self.post(path, json.dumps(document).encode())
        return status, json.loads(body)


@contextlib.contextmanager
def running_server(cli, *options):
    process = subprocess.Popen([cli, "serve", "--port", "0", *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "listening on http://" not in line:
        process.kill()
        raise AssertionError(f"the server did not start: {line!r} {process.stderr.read()!r}")
    server = Server(process, int(line.rsplit(":", 1)[1]))
    try:
        yield server
    finally:
        stop(server)


def stop(server, within_seconds=10):
    """SIGTERM, then the exit status 0 and 'stopped' on stderr within the time given."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    try:
        _, server.log = server.process.communicate(timeout=within_seconds)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise AssertionError(f"the server did not stop within {within_seconds} s of SIGTERM")
    assert server.process.returncode == 0, f"exit status {server.process.returncode} after SIGTERM: {server.log[-2000:]}"
    assert "aftermath serve: stopped" in server.log, server.log[-2000:]
    return time.monotonic() - started
