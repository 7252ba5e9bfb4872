"""CPython's own parser over the same files, timed the same way (read + parse)."""
import ast
import json
import os
import sys
import time

SKIP = {"node_modules", ".git", "__pycache__", "site-packages", ".venv", "venv"}


def main(root):
    started = time.perf_counter()
    cpu_started = time.process_time()
    files = parsed = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))]
        for name in names:
            if not name.endswith(".py"):
                continue
            files += 1
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    ast.parse(handle.read())
                parsed += 1
            except (SyntaxError, ValueError, UnicodeDecodeError):
                pass
    print(json.dumps({"seconds": time.perf_counter() - started, "cpuSeconds": time.process_time() - cpu_started, "files": files, "parsed": parsed}))


main(sys.argv[1])
