#!/usr/bin/env python3
"""Connection floods and slowloris against `chatter serve` under `ulimit -n 1024`.

Usage: scripts/soak-serve.py [CHATTER_BINARY] (default .build/debug/chatter)

Phases (loopback only, each bounded in time):
  baseline   a normal client alone (and wrk -c4 for comparison)
  wrk-1000   wrk -t2 -c1000 on the pixel from 127.0.0.1, the original crash
  idle-1000  1,000 held idle connections from 20 addresses
  idle-5000  5,000 held idle connections from 100 addresses
  slow-2000  2,000 slowloris clients from 100 addresses, one header byte a second
During each, a normal client on its own address (127.0.0.200) fetches the pixel in a loop;
its requests/s, p50 / p99 / max latency and failures are printed, with the server's resident
memory before and after. Exit status 1 when the server died, or the normal client failed more
than 1 % of its requests or its p99 went over one second.
"""
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

PIXEL = "/t/1/" + "ab" * 16 + "/blank.gif"
NORMAL_SOURCE = "127.0.0.200"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def start_server(binary, work):
    db = os.path.join(work, "store.sqlite")
    subprocess.run([binary, "partner", "add", "--name", "X", "--email", "x@y.org", "--db", db],
                   check=True, capture_output=True)
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "no-config"))
    p = subprocess.Popen(["/bin/sh", "-c", f"ulimit -n 1024; exec '{binary}' serve --db '{db}' --listen 127.0.0.1:0"],
                         stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        sys.stdout.write("  " + line)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
            return p, port
    p.kill()
    sys.exit("serve did not start")


def normal_client(port, seconds):
    """Sequential GETs over a keep-alive connection (reconnecting when it is closed)."""
    latencies, failures = [], 0
    end = time.time() + seconds
    sock = None
    request = f"GET {PIXEL} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    while time.time() < end:
        t0 = time.perf_counter()
        try:
            if sock is None:
                sock = socket.socket()
                sock.settimeout(1.0)
                sock.bind((NORMAL_SOURCE, 0))
                sock.connect(("127.0.0.1", port))
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 43:
                chunk = sock.recv(4096)
                if not chunk:
                    raise OSError("closed")
                data += chunk
            if not data.startswith(b"HTTP/1.1 200"):
                raise OSError("status")
            latencies.append(time.perf_counter() - t0)
        except OSError:
            failures += 1
            if sock is not None:
                sock.close()
            sock = None
            time.sleep(0.01)
    if sock is not None:
        sock.close()
    latencies.sort()
    n = len(latencies)
    pick = lambda q: latencies[min(n - 1, int(q * n))] * 1000 if n else float("nan")
    return {"requests": n, "rps": n / seconds, "p50": pick(0.50), "p99": pick(0.99),
            "max": latencies[-1] * 1000 if n else float("nan"), "failures": failures}


def open_many(port, count, addresses, base):
    socks = []
    for i in range(count):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.bind((f"{base}.{1 + i % addresses}", 0))
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        socks.append(s)
    return socks


def still_open(socks):
    n = 0
    for s in socks:
        try:
            if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b"":
                n += 1
        except BlockingIOError:
            n += 1
        except OSError:
            pass
    return n


def report(name, r, server, extra=""):
    alive = server.poll() is None
    print(f"{name:10} normal client: {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms"
          f"  max {r['max']:6.1f} ms  failures {r['failures']:3d}/{r['requests'] + r['failures']}"
          f"  server alive: {alive}  RSS {rss_kib(server.pid) if alive else -1} KiB {extra}", flush=True)
    ok = alive and r["p99"] < 1000 and r["failures"] <= 0.01 * max(1, r["requests"] + r["failures"])
    return ok


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/chatter")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))
    work = tempfile.mkdtemp(prefix="chatter-soak-serve-")
    server, port = start_server(binary, work)
    ok = True
    try:
        rss_before = rss_kib(server.pid)
        print(f"serve pid {server.pid} port {port}, RSS before {rss_before} KiB")
        ok &= report("baseline", normal_client(port, 5), server)
        if shutil.which("wrk"):
            out = subprocess.run(["wrk", "-t1", "-c4", "-d5s", "--latency", f"http://127.0.0.1:{port}{PIXEL}"],
                                 capture_output=True, text=True).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            p99 = re.search(r"99%\s+(\S+)", out)
            print(f"{'':10} wrk -c4 alone: {rps.group(1) if rps else '?'} req/s, p99 {p99.group(1) if p99 else '?'}")

            flood = subprocess.Popen(["wrk", "-t2", "-c1000", "-d12s", f"http://127.0.0.1:{port}{PIXEL}"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            time.sleep(1)
            r = normal_client(port, 10)
            out = flood.communicate()[0]
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            ok &= report("wrk-1000", r, server, f"(wrk itself: {rps.group(1) if rps else '?'} req/s)")

        for name, count, addresses, base in [("idle-1000", 1000, 20, "127.0.2"), ("idle-5000", 5000, 100, "127.0.4")]:
            socks = open_many(port, count, addresses, base)
            time.sleep(1)
            r = normal_client(port, 10)
            ok &= report(name, r, server, f"({len(socks)} opened, {still_open(socks)} still open after 11 s)")
            for s in socks:
                s.close()

        slow = open_many(port, 2000, 100, "127.0.5")
        stop = threading.Event()

        def drip():
            header = f"GET {PIXEL} HTTP/1.1\r\nHost: x\r\nX-Slow: ".encode() + b"a" * 64
            i = 0
            while not stop.is_set():
                for s in slow:
                    try:
                        s.send(header[i % len(header):i % len(header) + 1])
                    except OSError:
                        pass
                i += 1
                stop.wait(1)

        t = threading.Thread(target=drip, daemon=True)
        t.start()
        time.sleep(1)
        r = normal_client(port, 15)
        ok &= report("slow-2000", r, server, f"({still_open(slow)} of {len(slow)} slowloris still open after 16 s)")
        stop.set()
        t.join()
        for s in slow:
            s.close()
        time.sleep(2)
        alive = server.poll() is None
        print(f"RSS before {rss_before} KiB, after {rss_kib(server.pid) if alive else -1} KiB; server alive: {alive}")
        ok &= alive
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print("soak-serve:", "OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
