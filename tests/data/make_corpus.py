#!/usr/bin/env python3
"""Builds the fuzzers' seed corpus (tests/data/fuzz-corpus/<target>/) from the captures in this folder.

Each seed starts with the target's own prefix bytes (capability selector etc., see protocol/fuzz/*.cpp) followed
by real payloads. Payloads over 64 KiB (the 17 MB row) are left out to keep seeds small.
"""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fuzz-corpus")
MAX = 1 << 16
SELECTORS = [0x00, 0x01, 0x02 | 0x01 | 0x20, 0x08 | 0x10 | 0x20]  # classic, deprecate_eof, +track, mariadb


def load(path):
    packets = []
    for line in open(path):
        if not line.strip() or line.startswith("#"):
            continue
        tag, *tokens = line.split()
        data = bytearray()
        for t in tokens:
            if "*" in t:
                b, n = t.split("*")
                data += bytes([int(b, 16)]) * int(n)
            else:
                data += bytes.fromhex(t)
        packets.append((tag == "C", bytes(data)))
    return packets


def save(target, blob):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(blob).hexdigest()[:16]), "wb") as f:
        f.write(blob)


def main():
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".txt"):
            continue
        packets = load(os.path.join(HERE, name))
        stream = b"".join(w for _, w in packets if len(w) <= MAX)
        save("fuzz_framer", bytes([61, 255]) + stream[:MAX])
        payloads = [(c, w[4:]) for c, w in packets if len(w) <= MAX]
        save("fuzz_connection", bytes([0x3F]) + payloads[0][1])  # greeting
        save("fuzz_connection", bytes([0x3F]) + payloads[1][1])  # handshake response
        # Split the exchange into commands: a client payload that starts a command, then its answer.
        commands, cur = [], None
        for i, (client, p) in enumerate(payloads[2:]):
            if client and (cur is None or cur[1]):
                cur = [p, []]
                commands.append(cur)
            elif cur is not None:
                cur[1].append((client, p))
        for cmd, answer in commands:
            save("fuzz_command", bytes([0x01, 1, 3]) + cmd)
            for sel in SELECTORS[:2]:
                rec = bytes([cmd[0] if cmd else 0, sel])
                for client, p in answer:
                    rec += struct.pack("<H", (0x8000 if client else 0) | min(len(p), 0x7FFF)) + p[:0x7FFF]
                save("fuzz_tracker", rec)
            for client, p in answer[:6]:
                if not client:
                    save("fuzz_response", bytes([0x03, 2, 3]) + p)


if __name__ == "__main__":
    main()
