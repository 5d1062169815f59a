#!/usr/bin/python3
# A stand-in for journald's native socket in the tests: binds
# /run/systemd/journal/socket (when no journald runs here), and writes each
# datagram it gets as one JSON object a line (field -> value).
import json
import os
import socket
import struct
import sys

path, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.dirname(path), exist_ok=True)
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a") as f:
    print(json.dumps({"_READY": "1"}), file=f, flush=True)
    while True:
        data = s.recv(1 << 20)
        fields, i = {}, 0
        while i < len(data):
            nl = data.index(b"\n", i)
            line = data[i:nl]
            if b"=" in line:
                k, v = line.split(b"=", 1)
                i = nl + 1
            else:   # binary form: NAME\n, 64-bit LE length, data, \n
                k = line
                n = struct.unpack("<Q", data[nl + 1:nl + 9])[0]
                v = data[nl + 9:nl + 9 + n]
                i = nl + 9 + n + 1
            fields[k.decode()] = v.decode("utf-8", "replace")
        print(json.dumps(fields, ensure_ascii=False), file=f, flush=True)
