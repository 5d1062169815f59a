#!/usr/bin/python3
# Stands in for systemd's notify socket: prints each datagram, one per line.
import socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("listening", flush=True)
while True:
    data = s.recv(4096).decode("utf-8", "replace")
    print(data.replace("\n", " | "), flush=True)
