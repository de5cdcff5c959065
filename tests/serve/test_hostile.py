"""200 hostile requests against one `aftermath serve`: truncated JSON, 10 MB bodies, deep
nesting, wrong methods and media types, unknown paths, malformed HTTP, headers and URIs too long,
and slowloris-style partial headers. Each must get a 4xx or a closed connection within the
server's limits (never a 5xx, never a wait past them), and the server must go on answering
correct requests correctly afterwards, then stop cleanly on SIGTERM.

Usage: test_hostile.py --cli build/release/aftermath --root SOURCE_DIR
"""
import argparse
import concurrent.futures
import json
import pathlib
import random
import socket
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from server import running_server  # noqa: E402

TIMEOUT = 2  # the server's --timeout: one read, one write, or an idle keep-alive
SLACK = 4    # what the wait may exceed it by on a loaded 2-core machine


def exchange(port, data, pause_after=None):
    """Sends `data` (then waits `pause_after` s without sending more) and reads until the server
    answers or closes. Returns (status or None when it closed without an answer, seconds)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + SLACK + 5) as connection:
        try:
            connection.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it refused the rest of a body it had seen enough of
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
                head, _, rest = answer.partition(b"\r\n\r\n")
                if head and _ and b"Content-Length:" in head:
                    length = int(head.split(b"Content-Length:")[1].split(b"\r\n")[0])
                    if len(rest) >= length:
                        break
        except ConnectionResetError:
            pass
    seconds = time.monotonic() - started
    if not answer:
        return None, seconds, b""
    return int(answer.split(b" ")[1]), seconds, answer


def post(path, body, content_type="application/json", extra=b""):
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n").encode() + extra + b"\r\n"
    return head + body


def hostile_requests(profile, rng):
    """(kind, bytes) pairs, 200 in all."""
    requests = []
    for i in range(40):
        cut = rng.randrange(1, len(profile) - 1)
        requests.append(("truncated JSON", post("/project", profile[:cut])))
    for i in range(10):
        requests.append(("10 MB body", post("/project", b"[" + b"1," * (5 << 20) + b"1]")))
    for depth in [65, 100, 1000, 10_000, 100_000] * 4:
        requests.append(("deep nesting", post(rng.choice(["/project", "/assess", "/plan"]), b"[" * depth + b"]" * depth)))
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] * 5:
        path = rng.choice(["/project", "/assess", "/plan", "/cds-services/aftermath-patient-view"])
        requests.append(("wrong method", f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()))
    for i in range(15):
        requests.append(("wrong media type", post("/project", profile, rng.choice(["text/plain", "application/xml", "multipart/form-data", "json"]))))
    for i in range(15):
        requests.append(("unknown path", post(rng.choice(["/", "/admin", "/project/../etc/passwd", "/cds-services/x/y", "/%00"]), profile)))
    garbage = [b"\x00\x01\x02\xff" * 64 + b"\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"POST /project HTTP/1.1\r\nbroken header line\r\n\r\n",
               b"POST /project HTTP/1.1\r\nContent-Length: -5\r\n\r\n", b"POST /project HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
               b"POST /project HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
               b"POST /project HTTP/1.1\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789",
               b"\r\n\r\n\r\n\r\n", b"FOO /project HTTP/1.1\r\nHost: x\r\n\r\n", b"POST  HTTP/1.1\r\n\r\n"]
    for i in range(20):
        requests.append(("malformed HTTP", garbage[i % len(garbage)]))
    for i in range(10):
        requests.append(("header too long", post("/project", profile, extra=b"X-Filler: " + b"a" * (20_000 + i) + b"\r\n")))
    for i in range(10):
        requests.append(("URI too long", f"GET /cds-services?{'a' * (10_000 + i)} HTTP/1.1\r\nHost: x\r\n\r\n".encode()))
    for i in range(10):
        body = rng.choice([b"[]", b"{}", b"null", b'{"hook": "patient-view"}', b'{"hook": 5, "context": []}'])
        requests.append(("bad CDS request", post(rng.choice(["/cds-services/aftermath-patient-view", "/cds-services/aftermath-appointment-book"]), body)))
    for i in range(20):
        partial = rng.choice([b"POST /project HTTP/1.1\r\nHost: x\r\n", b"POST /project HTT", b"P",
                              b"POST /project HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"patient\""])
        requests.append(("slowloris partial request", partial))
    assert len(requests) == 200, len(requests)
    return requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--root", required=True, type=pathlib.Path)
    arguments = parser.parse_args()
    profile_path = arguments.root / "examples/profile.json"
    profile = profile_path.read_bytes()
    expected = subprocess.run([arguments.cli, "project", "--profile", str(profile_path), "--format", "json"], capture_output=True,
                              check=True).stdout.rstrip(b"\n")
    requests = hostile_requests(profile, random.Random(20))

    failures, kinds = [], {}
    with running_server(arguments.cli, "--timeout", str(TIMEOUT), "--threads", "8") as server:
        # Eight at a time, so that the slow ones hold workers while the others are answered.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(lambda r: (r[0], exchange(server.port, r[1])), requests))
        for kind, (status, seconds, answer) in outcomes:
            kinds.setdefault(kind, set()).add(status)
            if status is not None and not 400 <= status < 500:
                failures.append(f"{kind}: status {status}: {answer[:200]!r}")
            if status is not None and b"application/json" not in answer.split(b"\r\n\r\n")[0]:
                failures.append(f"{kind}: status {status} without a JSON body: {answer[:200]!r}")
            if seconds > TIMEOUT + SLACK:
                failures.append(f"{kind}: {seconds:.1f} s, past the server's {TIMEOUT} s limit")
        for i in range(50):
            status, _, answer = server.post("/project", profile)
            if status != 200 or answer != expected:
                failures.append(f"after the hostile requests, correct request {i}: status {status}")
        alive = server.process.poll() is None
    assert alive, "the server died"
    assert not failures, "\n".join(failures[:20])
    print("200 hostile requests, each a 4xx or a closed connection within the limits; then 50 correct answers:")
    for kind, statuses in kinds.items():
        print(f"  {kind}: {sorted(statuses, key=lambda s: (s is None, s or 0))} (None: closed without an answer)")


if __name__ == "__main__":
    main()
