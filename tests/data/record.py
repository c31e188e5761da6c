#!/usr/bin/env python3
"""Recording TCP forwarder for MySQL/MariaDB captures (stdlib only, 127.0.0.1 only).

    python3 record.py LISTEN_PORT SERVER_PORT OUT.txt [--count N]

Accepts N client connections (default 1) on 127.0.0.1:LISTEN_PORT, forwards each to 127.0.0.1:SERVER_PORT and
writes every packet, de-framed per direction, as one line in arrival order:

    C <hex of header+payload>     client -> server
    S <hex of header+payload>     server -> client

Long runs of one byte are written as `xx*COUNT` tokens (so a 17 MB blob stays a few bytes); spaces separate
tokens. Lines starting with '#' are comments. Connections after the first append a '# connection N' line.
"""
import socket
import sys
import threading

HOST = "127.0.0.1"
RUN_MIN = 16


def encode(data: bytes) -> str:
    out, i, n = [], 0, len(data)
    plain = bytearray()
    while i < n:
        j = i
        while j < n and data[j] == data[i]:
            j += 1
        if j - i >= RUN_MIN:
            if plain:
                out.append(plain.hex())
                plain = bytearray()
            out.append("%02x*%d" % (data[i], j - i))
        else:
            plain += data[i:j]
        i = j
    if plain:
        out.append(plain.hex())
    return " ".join(out)


class Recorder:
    def __init__(self, path):
        self.out = open(path, "w")
        self.lock = threading.Lock()

    def line(self, text):
        with self.lock:
            self.out.write(text + "\n")
            self.out.flush()


def pump(src, dst, tag, rec):
    buf = bytearray()
    while True:
        try:
            chunk = src.recv(1 << 20)
        except OSError:
            chunk = b""
        if not chunk:
            break
        buf += chunk
        while len(buf) >= 4:
            length = buf[0] | buf[1] << 8 | buf[2] << 16
            if len(buf) < 4 + length:
                break
            rec.line("%s %s" % (tag, encode(bytes(buf[: 4 + length]))))
            del buf[: 4 + length]
        dst.sendall(chunk)
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def main():
    listen_port, server_port, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 1
    rec = Recorder(path)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((HOST, listen_port))
    lsock.listen(1)
    print("listening", flush=True)
    for n in range(count):
        client, _ = lsock.accept()
        server = socket.create_connection((HOST, server_port))
        if n:
            rec.line("# connection %d" % (n + 1))
        threads = [threading.Thread(target=pump, args=(client, server, "C", rec)),
                   threading.Thread(target=pump, args=(server, client, "S", rec))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        client.close()
        server.close()


if __name__ == "__main__":
    main()
