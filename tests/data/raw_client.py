#!/usr/bin/env python3
"""Scripted raw-protocol client for captures that the stock client cannot produce (stdlib only).

    python3 raw_client.py PORT USER PASSWORD DB {deprecate_eof|classic_eof} INFILE

Logs in with mysql_native_password, choosing its own capabilities (CLIENT_DEPRECATE_EOF on or off, session
tracking, MariaDB progress reports), then sends one command of every shape the response tracker knows and
reads each answer until the server goes quiet. Run it through record.py to capture the bytes.
"""
import hashlib
import socket
import struct
import sys

IDLE = 0.4
CAPS = {
    "long_flag": 1 << 2, "connect_with_db": 1 << 3, "local_files": 1 << 7, "protocol_41": 1 << 9,
    "transactions": 1 << 13, "secure_connection": 1 << 15, "multi_statements": 1 << 16,
    "multi_results": 1 << 17, "ps_multi_results": 1 << 18, "plugin_auth": 1 << 19,
    "plugin_auth_lenenc": 1 << 21, "session_track": 1 << 23, "deprecate_eof": 1 << 24,
}
MARIADB_PROGRESS = 1


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.seq = 0

    def send(self, payload, seq=None):
        self.seq = self.seq if seq is None else seq
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq & 0xFF]) + payload)
        self.seq += 1

    def read_packets(self, wait_first=5.0):
        """Packets until the server is idle for IDLE seconds."""
        out = []
        self.sock.settimeout(wait_first)
        while True:
            while len(self.buf) >= 4:
                n = self.buf[0] | self.buf[1] << 8 | self.buf[2] << 16
                if len(self.buf) < 4 + n:
                    break
                out.append(self.buf[4:4 + n])
                self.seq = self.buf[3] + 1
                self.buf = self.buf[4 + n:]
                self.sock.settimeout(IDLE)
            try:
                chunk = self.sock.recv(1 << 16)
            except socket.timeout:
                return out
            if not chunk:
                return out
            self.buf += chunk


def scramble(password, seed):
    s1 = hashlib.sha1(password).digest()
    mask = hashlib.sha1(seed + hashlib.sha1(s1).digest()).digest()
    return bytes(a ^ b for a, b in zip(s1, mask))


def lenenc(n):
    return bytes([n]) if n < 251 else b"\xfc" + struct.pack("<H", n)


def login(c, user, password, db, caps):
    greeting = c.read_packets()[0]
    ver_end = greeting.index(b"\0", 1)
    p = ver_end + 1 + 4
    seed = greeting[p:p + 8] + greeting[p + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10:][:12]
    auth = scramble(password, seed)
    payload = struct.pack("<IIB", caps, 1 << 24, 45) + b"\0" * 19 + struct.pack("<I", MARIADB_PROGRESS)
    payload += user + b"\0" + lenenc(len(auth)) + auth + db + b"\0" + b"mysql_native_password\0"
    c.send(payload, seq=1)
    return seed, c.read_packets()


def command(c, payload, infile=None):
    c.send(payload, seq=0)
    resp = c.read_packets()
    if resp and resp[0][:1] == b"\xfb" and infile is not None:
        data = open(infile, "rb").read()
        c.send(data)
        c.send(b"")
        resp += c.read_packets()
    return resp


def change_user(c, user, password, db):
    # Announce a plugin the account does not use, so the server answers with an AuthSwitchRequest.
    payload = b"\x11" + user + b"\0" + bytes([20]) + b"\0" * 20 + db + b"\0" + struct.pack("<H", 45)
    payload += b"client_ed25519\0"
    c.send(payload, seq=0)
    resp = c.read_packets()
    if resp and resp[0][:1] == b"\xfe":
        name_end = resp[0].index(b"\0", 1)
        seed = resp[0][name_end + 1:].rstrip(b"\0")
        c.send(scramble(password, seed))
        resp += c.read_packets()
    return resp


def main():
    port, user, password, db, mode, infile = sys.argv[1:7]
    user, password, db = user.encode(), password.encode(), db.encode()
    names = ["long_flag", "connect_with_db", "local_files", "protocol_41", "transactions", "secure_connection",
             "multi_statements", "multi_results", "ps_multi_results", "plugin_auth", "plugin_auth_lenenc",
             "session_track"]
    if mode == "deprecate_eof":
        names.append("deprecate_eof")
    caps = sum(CAPS[n] for n in names)
    c = Conn(int(port))
    login(c, user, password, db, caps)
    q = lambda sql, **kw: command(c, b"\x03" + sql.encode(), **kw)
    q("SET autocommit=0")
    q("SELECT id, name FROM items WHERE id < 3 ORDER BY id")
    q("CALL p2()")
    q("SELECT 1; SELECT 2 AS two")
    q("SELECT b, (SELECT a FROM dup d2 WHERE d2.b = d1.b) AS a FROM dup d1")
    q("LOAD DATA LOCAL INFILE '%s' INTO TABLE loaded FIELDS TERMINATED BY ','" % infile, infile=infile)
    q("ROLLBACK")
    prep = command(c, b"\x16SELECT id, name FROM items WHERE id > ? ORDER BY id")
    stmt = struct.unpack("<I", prep[0][1:5])[0]
    param = b"\x00" + b"\x01" + b"\x03\x00" + struct.pack("<i", 0)
    command(c, b"\x17" + struct.pack("<IBI", stmt, 1, 1) + param)           # read-only cursor
    for _ in range(3):
        command(c, b"\x1c" + struct.pack("<II", stmt, 2))
    command(c, b"\x17" + struct.pack("<IBI", stmt, 0, 1) + param)           # no cursor
    command(c, b"\x1a" + struct.pack("<I", stmt))                           # COM_STMT_RESET
    command(c, b"\x18" + struct.pack("<IH", stmt, 0) + b"ignored")          # SEND_LONG_DATA: silent
    command(c, b"\x19" + struct.pack("<I", stmt))                           # COM_STMT_CLOSE: silent
    command(c, b"\x04items\0")                                              # COM_FIELD_LIST
    command(c, b"\x09")                                                     # COM_STATISTICS
    command(c, b"\x0e")                                                     # COM_PING
    command(c, b"\x1b\x01\x00")                                             # COM_SET_OPTION off
    command(c, b"\x02" + db)                                                # COM_INIT_DB
    command(c, b"\x0c" + struct.pack("<I", 999999))                         # COM_PROCESS_KILL: ERR
    command(c, b"\x1f")                                                     # COM_RESET_CONNECTION
    change_user(c, user, password, db)
    command(c, b"\x42")                                                     # unknown command
    c.send(b"\x01", seq=0)                                                  # COM_QUIT
    c.read_packets(wait_first=1.0)


if __name__ == "__main__":
    main()
