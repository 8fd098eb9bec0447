# Runs a sipvicious tool with its UDP socket bound to the given address: Debian's sipvicious 0.3.3
# passes -b (--bindingip) on to svmap but not to svwar and svcrack, which then send from whatever
# address the kernel picks (127.0.0.1 on loopback, a provisioned trunk in the tests).
# usage: python3 bound.py ADDRESS TOOL [tool arguments]
import importlib
import socket
import sys

address, tool = sys.argv[1], sys.argv[2]


class BoundSocket(socket.socket):
    def bind(self, where):
        host = address if where[0] in ('', '0.0.0.0') else where[0]
        super().bind((host,) + tuple(where[1:]))


socket.socket = BoundSocket
sys.path.insert(0, '/usr/share/sipvicious')
sys.argv = [tool] + sys.argv[3:]
sys.exit(importlib.import_module('sipvicious.' + tool).main())
