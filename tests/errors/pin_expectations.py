#!/usr/bin/env python3
# Pins the errors snnc reports for each case in this folder as its leading
# '# expect:' lines. Use it for NEW cases only, and review every message it
# writes: the test (tests/error_cases.cpp) then holds snnc to them.
# Usage: cd tests/errors && python3 pin_expectations.py [../../build/snnc]
import os, re, subprocess, sys
snnc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '../../build/snnc')
pat = re.compile(r'^(\S+?):(\d+):(\d+): error: (.*)$')
def errors(path):
    r = subprocess.run([snnc, 'check', path], capture_output=True)
    out = []
    for l in r.stderr.decode('utf-8', 'replace').splitlines():
        m = pat.match(l)
        if m:
            f = m.group(1)
            prefix = '' if os.path.basename(f) == os.path.basename(path) else os.path.relpath(f) + ':'
            out.append(f"{prefix}{m.group(2)}:{m.group(3)}: error: {m.group(4)}")
    return r.returncode, out
for name in sorted(os.listdir('.')):
    if not name.endswith('.snn'): continue
    data = open(name, 'rb').read()
    lines = data.split(b'\n')
    body = b'\n'.join(l for l in lines if not l.startswith(b'# expect:')) if data.startswith(b'# expect:') else data
    if name == 'empty_file.snn':
        rc, errs = errors(name)
        open('empty_file.expect','w').write('\n'.join(errs)+'\n')
        continue
    n = 1
    for attempt in range(3):
        hdr = b''.join(b'# expect: x\n' for _ in range(n))
        open(name,'wb').write(hdr + body)
        rc, errs = errors(name)
        if len(errs) == n: break
        n = max(1, len(errs))
    hdr = ''.join(f'# expect: {e}\n' for e in errs).encode()
    open(name,'wb').write(hdr + body)
    print(rc, name, errs)
