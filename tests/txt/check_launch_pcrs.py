#!/usr/bin/env python3
"""Every good TXT launch scenario's expected PCR 17/18 must equal what the
independent calculator (txt_expected_pcrs) computes from the scenario's own
files: the SINIT ACM and the MLE it loads.

A scenario is a good launch when it expects STS.SENTER.DONE set
(expect.txt.sts.senter_done true) and is not marked expected_failure; each
must carry expect.pcrs (sha1 and/or sha256, PCR 17 and 18), or this test
fails naming it.

The stub's own variants (stub/txt/README.md, entry register esi) that change
what the loader asks for get the matching calculator option: variant 5 asks
for GETSEC[WAKEUP] whatever the SINIT offers. So do the stub's -D builds
(stub/txt/README.md) that change OsSinitData: txt_stub_pcr_map_zero clears
capabilities bits 4 and 5 as tboot 1.10 does on TPM 2.0.

usage: check_launch_pcrs.py CALCULATOR SCENARIO_DIR [--built-dir NAME=DIR]...
exit 0 all agree, 1 a scenario disagrees or lacks PCR values, 2 bad use.
"""
import glob
import json
import os
import subprocess
import sys

STUB_VARIANT_ARGS = {5: ['--rlp-wake', 'getsec']}
STUB_BUILD_ARGS = {'txt_stub_pcr_map_zero.bin': ['--pcr-map-bits', 'clear']}


def is_good_launch(scenario):
    sts = scenario.get('expect', {}).get('txt', {}).get('sts', {})
    return sts.get('senter_done') is True and not scenario.get('expected_failure')


def stub_build(scenario):
    for l in scenario.get('load', []):
        name = os.path.basename(str(l.get('file', '')))
        if name.startswith('txt_stub') and name.endswith('.bin'):
            return name
    return None


def stub_variant(scenario):
    esi = scenario.get('entry', {}).get('registers', {}).get('esi')
    if stub_build(scenario) is None or esi is None:
        return None
    return int(str(esi), 0)


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    calculator, directory, extra = argv[1], argv[2], argv[3:]
    paths = sorted(glob.glob(os.path.join(directory, 'launch-*.json')))
    checked, problems = 0, []
    for path in paths:
        with open(path, encoding='utf-8') as f:
            scenario = json.load(f)
        if not is_good_launch(scenario):
            continue
        name = os.path.basename(path)
        if 'pcrs' not in scenario.get('expect', {}):
            problems.append(f'{name}: a good launch without expect.pcrs (PCR 17/18 unchecked)')
            continue
        args = [calculator, '--scenario', path, '--check'] + extra
        args += STUB_VARIANT_ARGS.get(stub_variant(scenario), [])
        args += STUB_BUILD_ARGS.get(stub_build(scenario), [])
        r = subprocess.run(args, capture_output=True, text=True)
        checked += 1
        if r.returncode != 0:
            problems.append(f'{name}: exit {r.returncode}\n{r.stderr.rstrip()}\ncalculated: {r.stdout.strip()}')
        else:
            print(f'{name}: PCR 17/18 agree with the calculator')
    for p in problems:
        print('PROBLEM ' + p)
    print(f'{checked} good launch scenarios checked, {len(problems)} problems')
    if checked == 0 and not problems:
        print('no good launch scenario found in ' + directory)
        return 1
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
