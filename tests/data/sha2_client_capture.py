# Captures what a real client sends for caching_sha2_password: a fake server on 127.0.0.1:7077 greets with that
# plugin and the fixed seed below, then prints the client's auth response. Used for the vector in
# tests/protocol/test_auth.cpp:
#   /usr/bin/python3 tests/data/sha2_client_capture.py &
#   mariadb --no-defaults -h127.0.0.1 -P7077 -uu -p'Secr3t!pw' -e 'select 1'
# (Connector/C 3.3.20's caching_sha2_password plugin answered ebcfb4d7...bbb1a8.)
import socket, struct, sys
seed=b"0123456789abcdefghij"
ls=socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); ls.bind(('127.0.0.1',7077)); ls.listen(1)
c,_=ls.accept()
caps=(1<<9)|(1<<15)|(1<<19)|(1<<13)|(1<<17)|(1<<21)
g=bytes([10])+b"5.7.0-fake\0"+struct.pack('<I',7)+seed[:8]+b"\0"+struct.pack('<H',caps&0xffff)+bytes([45])+struct.pack('<H',2)+struct.pack('<H',caps>>16)+bytes([21])+b"\0"*10+seed[8:]+b"\0"+b"caching_sha2_password\0"
c.sendall(struct.pack('<I',len(g))[:3]+b"\0"+g)
h=c.recv(4); l=h[0]|h[1]<<8|h[2]<<16
b=b''
while len(b)<l: b+=c.recv(l-len(b))
pos=32; u=b.index(b'\0',pos); user=b[pos:u]; pos=u+1
n=b[pos]; resp=b[pos+1:pos+1+n]; pos+=1+n
plugin=b[b.index(b'\0',pos)+1:] if False else b[pos:]
print(user, resp.hex(), plugin[:80])
