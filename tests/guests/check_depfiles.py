#!/usr/bin/env python3
"""Every nasm-built guest's depfile names each file its source %includes, so
an edited include rebuilds the guests that use it (cmake/GuestCode.cmake,
dlsim_nasm_depfile_command).

Usage: check_depfiles.py SOURCE_DIR BUILD_DIR
Checks tests/guests/*.asm (BUILD_DIR/guests/NAME.bin.d) and stub/txt/*.asm
(BUILD_DIR/stub/txt/NAME.bin.d). Exit 0 when all are complete, 1 with each
missing depfile or include named otherwise.
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*%include\s+"([^"]+)"', re.MULTILINE)


def depfile_paths(text):
    """The prerequisites of a make-style depfile (after the first ' : ')."""
    joined = text.replace('\\\n', ' ')
    _, _, prereqs = joined.partition(':')
    return prereqs.split()


def check(source, depfile):
    """Problems with one guest's depfile, as lines naming it."""
    if not depfile.is_file():
        return [f'{depfile}: missing (the guest {source} was built without a depfile)']
    listed = {pathlib.Path(p).name for p in depfile_paths(depfile.read_text())}
    problems = []
    for name in INCLUDE.findall(source.read_text()):
        if pathlib.Path(name).name not in listed:
            problems.append(f'{depfile}: does not list {name}, which {source.name} includes')
    return problems


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, build = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    pairs = [(s, build / 'guests' / (s.stem + '.bin.d')) for s in sorted((src / 'tests/guests').glob('*.asm'))]
    pairs += [(s, build / 'stub/txt' / (s.stem + '.bin.d')) for s in sorted((src / 'stub/txt').glob('*.asm'))]
    with_includes = [p for p in pairs if INCLUDE.search(p[0].read_text())]
    if not with_includes:
        print('no guest source %includes anything: nothing checks the depfiles', file=sys.stderr)
        return 1
    problems = [line for s, d in pairs for line in check(s, d)]
    for line in problems:
        print(line, file=sys.stderr)
    print(f'{len(pairs)} depfiles, {len(with_includes)} with includes: '
          f'{"complete" if not problems else str(len(problems)) + " problems"}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
