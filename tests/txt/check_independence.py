#!/usr/bin/env python3
"""The expected-PCR calculator must stay a second implementation: none of
its sources may include the simulator's TXT or TPM code, and its CMake file
may link nothing of dlsim's. usage: check_independence.py DIR (tests/txt)."""
import os
import re
import sys

FORBIDDEN_INCLUDE = re.compile(r'#\s*include\s*[<"](txt_model|tpm_model|sim|cpu_model|models)/')
FORBIDDEN_LINK = re.compile(r'\bdlsim_\w+')


def main(directory):
    problems = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name.endswith(('.cpp', '.h')):
            with open(path, encoding='utf-8') as f:
                for number, line in enumerate(f, 1):
                    if FORBIDDEN_INCLUDE.search(line):
                        problems.append(f'{path}:{number}: includes dlsim code: {line.strip()}')
        elif name == 'CMakeLists.txt':
            with open(path, encoding='utf-8') as f:
                for number, line in enumerate(f, 1):
                    code = line.split('#', 1)[0]
                    if 'target_link_libraries' in code and FORBIDDEN_LINK.search(code):
                        problems.append(f'{path}:{number}: links dlsim code: {line.strip()}')
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
