"""`aftermath serve` against the command: each endpoint answers exactly what `aftermath ...
--format json` prints for the same documents, every refused request gets a 4xx with a JSON body
naming the problem, the options are checked, the access log names routes and never what the
patient sent, and SIGTERM lets a request in progress finish.

Usage: test_endpoints.py --cli build/release/aftermath --root SOURCE_DIR
"""
import argparse
import json
import pathlib
import socket
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from server import running_server, stop  # noqa: E402


def command_json(cli, *arguments):
    done = subprocess.run([cli, *arguments, "--format", "json"], capture_output=True, text=True, check=True)
    return done.stdout.rstrip("\n").encode()


def check_documents(server, cli, root):
    profile = (root / "examples/profile.json").read_bytes()
    status, headers, body = server.post("/project", profile)
    assert status == 200 and headers["Content-Type"] == "application/json", (status, headers)
    assert body == command_json(cli, "project", "--profile", str(root / "examples/profile.json")), "POST /project differs from the command"

    reports = json.loads((root / "tests/docs/reports.json").read_text())
    request = {"profile": json.loads(profile), "reports": reports["reports"]}
    status, _, body = server.post("/assess", json.dumps(request).encode())
    expected = command_json(cli, "assess", "--profile", str(root / "examples/profile.json"), "--reports", str(root / "tests/docs/reports.json"))
    assert status == 200 and body == expected, (status, body[:300])

    plan_request = (root / "tests/docs/plan-request.json").read_bytes()
    status, _, body = server.post("/plan", plan_request, content_type="application/json; charset=utf-8")
    assert status == 200 and body == command_json(cli, "plan", "--request", str(root / "tests/docs/plan-request.json")), status


def problems_of(body):
    document = json.loads(body)
    assert document["error"] == "bad_input", document
    return {(p.get("path", ""), p["code"]) for p in document["problems"]}


def check_refusals(server, root):
    profile = json.loads((root / "examples/profile.json").read_text())

    bad_date = dict(profile, sessions=["2026-02-30"])
    status, _, body = server.post("/project", json.dumps(bad_date).encode())
    assert status == 400 and ("sessions[0]", "malformed") in problems_of(body), body

    too_severe = {"profile": profile, "reports": [{"day": 2, "symptom": "bruising", "severity": 12}]}
    status, _, body = server.post("/assess", json.dumps(too_severe).encode())
    assert status == 400 and ("reports[0].severity", "out_of_range") in problems_of(body), body

    status, _, body = server.post("/assess", json.dumps({"profile": profile}).encode())
    assert status == 400 and ("reports", "malformed") in problems_of(body), body

    status, _, body = server.post("/project", b'{"patient": "x", "sessions": ["2026-12-01"]')
    assert status == 400 and "malformed JSON" in body.decode(), body

    status, _, body = server.post("/project", json.dumps(profile).encode(), content_type="text/plain")
    assert status == 415 and json.loads(body)["error"] == "unsupported_media_type", (status, body)
    status, _, body = server.post("/project", json.dumps(profile).encode(), content_type=None)
    assert status == 415, (status, body)

    for method, path, allowed in [("GET", "/project", "POST"), ("DELETE", "/assess", "POST"), ("PUT", "/plan", "POST"),
                                  ("POST", "/cds-services", "GET"), ("GET", "/cds-services/aftermath-patient-view", "POST")]:
        status, headers, body = server.request(method, path, b"{}" if method != "GET" else None)
        assert status == 405 and headers.get("Allow") == allowed, (method, path, status, headers)
        assert json.loads(body)["error"] == "method_not_allowed"

    status, _, body = server.request("GET", "/Patient/anon-17")
    assert status == 404 and json.loads(body)["error"] == "not_found", (status, body)
    status, _, body = server.post("/cds-services/no-such-service", b"{}")
    assert status == 404 and "no-such-service" in json.loads(body)["message"], (status, body)

    status, _, body = server.post("/project", b"[" + b" " * 5000 + b"]")
    assert status == 413 and json.loads(body)["error"] == "payload_too_large", (status, body)


def check_options(cli):
    for options, named in [(["--bind", "0.0.0.0"], "--bind"), (["--port", "70000"], "--port"), (["--today", "2026-02-30"], "--today"),
                           (["--threads", "5000"], "--threads"), (["--timeout", "0"], "--timeout")]:
        done = subprocess.run([cli, "serve", *options], capture_output=True, text=True, timeout=20)
        assert done.returncode == 2 and named in done.stderr, (options, done.returncode, done.stderr)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = subprocess.run([cli, "serve", "--port", str(taken.getsockname()[1])], capture_output=True, text=True, timeout=20)
        assert done.returncode == 1 and "cannot listen on 127.0.0.1:" in done.stderr, (done.returncode, done.stderr)
    with running_server(cli, "--bind", "0.0.0.0", "--allow-remote") as server:
        assert server.request("GET", "/cds-services")[0] == 200


def check_graceful_stop(cli, root):
    """A request whose body is still arriving when SIGTERM comes is answered in full."""
    profile = (root / "examples/profile.json").read_bytes()
    with running_server(cli) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            head = f"POST /project HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(profile)}\r\n\r\n"
            client.sendall(head.encode() + profile[:20])
            time.sleep(0.2)
            server.process.send_signal(15)
            time.sleep(0.3)
            client.sendall(profile[20:])
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and answer.endswith(b"}"):
                    break
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        seconds = stop(server)
    assert seconds < 8, f"stopping took {seconds:.1f} s"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--root", required=True, type=pathlib.Path)
    arguments = parser.parse_args()
    cli, root = arguments.cli, arguments.root

    with running_server(cli, "--max-body", "4096", "--threads", "4") as server:
        check_documents(server, cli, root)
        check_refusals(server, root)
    log = server.log
    assert "POST /project 200 " in log and "POST /cds-services/{id} 404 " in log and "GET (unknown path) 404 " in log, log
    for secret in ["anon-17", "2026-12-01", "bruising", "topical_anaesthetic", "no-such-service", "Patient/"]:
        assert secret not in log, f"the access log shows {secret!r}"
    check_options(cli)
    check_graceful_stop(cli, root)
    print("serve endpoints: documents equal the command's, refusals, options, log and shutdown checked")


if __name__ == "__main__":
    main()
