"""Load from a second process: 2 000 POST /project requests at concurrency 16 (16 client threads,
each on its own keep-alive connection) against one `aftermath serve`; every answer must be 200
and byte-identical to the command's projection. Prints the p50 and p99 latency and the rate.

Usage: test_load.py --cli build/release/aftermath --root SOURCE_DIR [--requests 2000] [--concurrency 16]
"""
import argparse
import http.client
import pathlib
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from server import running_server  # noqa: E402


def client(port, body, count, expected, latencies, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection.request("POST", "/project", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200 or answer != expected:
                errors.append(f"status {response.status}, {len(answer)} bytes")
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append(time.perf_counter() - started)
    connection.close()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--root", required=True, type=pathlib.Path)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    arguments = parser.parse_args()
    profile = arguments.root / "examples/profile.json"
    expected = subprocess.run([arguments.cli, "project", "--profile", str(profile), "--format", "json"], capture_output=True,
                              check=True).stdout.rstrip(b"\n")
    body = profile.read_bytes()

    latencies, errors = [], []
    with running_server(arguments.cli, "--threads", str(arguments.concurrency)) as server:
        each = arguments.requests // arguments.concurrency
        threads = [threading.Thread(target=client, args=(server.port, body, each, expected, latencies, errors))
                   for _ in range(arguments.concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    served = server.log.count("POST /project 200 ")
    log_tail = "\n".join(server.log.splitlines()[-20:])
    assert not errors, f"{len(errors)} of {len(latencies)} requests failed, e.g. {errors[:3]}; the server's log ended:\n{log_tail}"
    assert len(latencies) == each * arguments.concurrency and served == len(latencies), (len(latencies), served)
    print(f"{len(latencies)} requests at concurrency {arguments.concurrency}: no error; "
          f"p50 {1000 * statistics.median(latencies):.1f} ms, p99 {1000 * percentile(latencies, 0.99):.1f} ms, "
          f"{len(latencies) / elapsed:.0f} requests/s over {elapsed:.1f} s")


if __name__ == "__main__":
    main()
