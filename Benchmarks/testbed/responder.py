#!/usr/bin/env python3
"""Target-side services for portgrid's namespace testbed (integration tests and benchmarks).

Binds, on every address of the namespace it runs in:
  --tcp PORTS         TCP listeners that accept and close, so a connect or SYN probe sees an open port
  --udp-echo PORTS    UDP sockets that send every datagram back (any UDP reply means "open")
  --udp-dns PORTS     UDP sockets that answer DNS queries with a well-formed response
  --udp-silent PORTS  UDP sockets that are bound and read but never answer ("open|filtered")
  --tcp-echo PORTS    TCP listeners that keep each connection and echo what it sends
PORTS is nmap's spelling: 22,80,1000-1010.

Or, run on the scanner's side, a client of such a port:
  --hold-client HOST:PORT   one TCP connection exchanging 8-byte messages every few milliseconds until
                            stdin closes, then "exchanges N errors M" (the scanner host's own traffic,
                            which a raw scan must neither disturb nor take for replies to its probes)

Prints "ready" on stdout once every socket is bound. Exits on SIGTERM, or when stdin reaches end of
file: the test that started it holds the other end of a pipe, so a crashed test never leaves it behind.
"""
import argparse
import os
import select
import selectors
import signal
import socket
import struct
import sys


def port_list(spec):
    ports = []
    for piece in filter(None, spec.split(",")):
        low, _, high = piece.partition("-")
        first, last = int(low), int(high or low)
        if not (1 <= first <= last <= 65535):
            raise SystemExit(f"responder: bad port range {piece!r}")
        ports.extend(range(first, last + 1))
    return ports


def dns_answer(query):
    """A response to any query with a parseable header: the question echoed, one A record when asked
    for one. A header too short to be DNS gets no answer (a real server drops it too)."""
    if len(query) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    opcode = (flags >> 11) & 0xF
    rd = flags & 0x0100
    offset, question, qtype = 12, b"", 0
    if qdcount >= 1:
        end = offset
        while end < len(query) and query[end] != 0:
            if query[end] & 0xC0:
                end = len(query)
                break
            end += query[end] + 1
        if end + 5 <= len(query):
            question = query[offset:end + 5]
            qtype = struct.unpack("!H", query[end + 1:end + 3])[0]
    rcode = 0 if (question or qdcount == 0) and opcode in (0, 2) else 1
    answers = b""
    if question and qtype == 1 and rcode == 0:
        answers = struct.pack("!HHHIH4s", 0xC00C, 1, 1, 60, 4, socket.inet_aton("198.18.0.53"))
    header = struct.pack("!HHHHHH", qid, 0x8000 | (opcode << 11) | rd | 0x0080 | rcode,
                         1 if question else 0, 1 if answers else 0, 0, 0)
    return header + question + answers


def hold_client(target):
    """The scanner host's own connection: exchange messages until stdin closes, then report."""
    host, _, port = target.rpartition(":")
    conn = socket.create_connection((host, int(port)), timeout=2)
    conn.settimeout(2)
    exchanges = errors = 0
    stopping = []
    # SIGTERM reports too: end of file on stdin is the usual stop, but a copy of the pipe's write end
    # inherited by a process spawned at the same moment (tests run in parallel) can hold it back, and
    # then the test's stop() terminates: the exchange count must still be said.
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print("ready", flush=True)
    stdin = sys.stdin.fileno()
    while not stopping:
        readable, _, _ = select.select([stdin], [], [], 0.005)
        if readable and not os.read(stdin, 4096):
            break
        if stopping:
            break
        try:
            message = struct.pack("!Q", exchanges)
            conn.sendall(message)
            echoed = b""
            while len(echoed) < len(message):
                chunk = conn.recv(len(message) - len(echoed))
                if not chunk:
                    raise ConnectionError("closed by the server")
                echoed += chunk
            if echoed != message:
                raise ValueError("echo differs")
            exchanges += 1
        except (OSError, ValueError) as error:
            errors += 1
            print(f"error {error}", flush=True)
            break
    print(f"exchanges {exchanges} errors {errors}", flush=True)


def bound_socket(kind, port):
    """A socket on `port` of every address, IPv4 and IPv6 alike (one dual-stack socket), or IPv4
    alone where the namespace has no IPv6."""
    try:
        sock = socket.socket(socket.AF_INET6, kind)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("::", port))
        return sock
    except OSError:
        sock = socket.socket(socket.AF_INET, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0", port))
        return sock


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for flag in ("--tcp", "--udp-echo", "--udp-dns", "--udp-silent", "--tcp-echo", "--hold-client"):
        parser.add_argument(flag, default="")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if args.hold_client:
        return hold_client(args.hold_client)
    selector = selectors.DefaultSelector()

    for kind, spec in (("tcp", args.tcp), ("tcp-echo", args.tcp_echo)):
        for port in port_list(spec):
            listener = bound_socket(socket.SOCK_STREAM, port)
            # A deep backlog: a -p- connect scan must never find the queue full and read it as "filtered".
            listener.listen(4096)
            listener.setblocking(False)
            selector.register(listener, selectors.EVENT_READ, kind)

    for kind, spec in (("echo", args.udp_echo), ("dns", args.udp_dns), ("silent", args.udp_silent)):
        for port in port_list(spec):
            sock = bound_socket(socket.SOCK_DGRAM, port)
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, kind)

    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "stdin")
    print("ready", flush=True)

    while True:
        for key, _ in selector.select():
            kind = key.data
            if kind == "stdin":
                if not os.read(key.fd, 4096):
                    return
                continue
            sock = key.fileobj
            try:
                if kind == "tcp":
                    while True:
                        conn, _ = sock.accept()
                        conn.close()
                elif kind == "tcp-echo":
                    while True:
                        conn, _ = sock.accept()
                        conn.setblocking(False)
                        selector.register(conn, selectors.EVENT_READ, "conn")
                elif kind == "conn":
                    try:
                        data = sock.recv(65536)
                        if data:
                            sock.sendall(data)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        data = b""
                    if not data:
                        selector.unregister(sock)
                        sock.close()
                else:
                    while True:
                        data, peer = sock.recvfrom(65535)
                        if kind == "echo":
                            sock.sendto(data or b"\0", peer)
                        elif kind == "dns":
                            reply = dns_answer(data)
                            if reply is not None:
                                sock.sendto(reply, peer)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                # A peer that reset before accept, or an ICMP error queued on the socket: not ours to fail on.
                pass


if __name__ == "__main__":
    main()
