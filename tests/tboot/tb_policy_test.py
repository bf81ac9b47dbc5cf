#!/usr/bin/env python3
"""check_tboot_pcrs.py's reading of tboot's policy (tb_policy_t,
include/tb_policy.h of tboot 1.10), checked against byte strings written out
by hand from that layout, and the rules tboot applies before using a policy
from TPM NV (verify_policy, check_index_attribute). Needs no tboot."""
import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_tboot_pcrs as c  # noqa: E402

# version 2, CONT_NON_FATAL, SHA-256 (0x0b), control 1, reserved 0, 3 entries:
# {0, pcr none, any, nv 0, 0 hashes} {any 0x81, 17, ...} {nv_raw 0x83, 22, any, nv 0x40000010, 0}
DEFAULT_DA = bytes.fromhex("02000b" "01000000" "00000000" "03"
                           "00ff00" "00000000" "00"
                           "811100" "00000000" "00"
                           "831600" "10000040" "00")
HASH = bytes(range(32))
# version 2, HALT, SHA-256, control 1, 2 entries: {0, none, IMAGE, 1 hash} {any, 18, any}
HALT_ONE_HASH = bytes.fromhex("02020b" "01000000" "00000000" "02" "00ff01" "00000000" "01") + HASH + \
    bytes.fromhex("811200" "00000000" "00")


def scenario(nv):
    return {"tpm": {"nv": nv}}


class TbPolicyTest(unittest.TestCase):
    def test_default_policy_bytes(self):
        self.assertEqual(c.default_policy().raw, DEFAULT_DA)

    def test_policy_with_a_hash(self):
        p = c.TbPolicy(HALT_ONE_HASH + bytes(240))  # NV index larger than the policy
        self.assertEqual(p.raw, HALT_ONE_HASH)  # calc_policy_size: what tboot hashes
        self.assertEqual((p.policy_type, p.control, len(p.entries)), (2, 1, 2))
        self.assertEqual(p.entries[0].hashes, [HASH])
        self.assertEqual(p.entry_for(0).pcr, c.TB_POL_PCR_NONE)
        self.assertEqual(p.entry_for(1).pcr, 18)
        self.assertEqual(p.entry_for(7).mod_num, c.TB_POL_MOD_NUM_ANY)

    def test_sha1_when_hash_alg_is_zero(self):
        data = bytes.fromhex("020200" "01000000" "00000000" "01" "00ff01" "00000000" "01") + bytes(20)
        self.assertEqual(len(c.TbPolicy(data).entries[0].hashes[0]), 20)

    def test_verify_policy_refusals(self):
        bad = {
            "version 3": b"\x03" + HALT_ONE_HASH[1:],
            "policy_type 3": HALT_ONE_HASH[:1] + b"\x03" + HALT_ONE_HASH[2:],
            "mod_num 128": HALT_ONE_HASH[:12] + b"\x80" + HALT_ONE_HASH[13:],
            "pcr 24": HALT_ONE_HASH[:13] + b"\x18" + HALT_ONE_HASH[14:],
            "hash_type 2": HALT_ONE_HASH[:14] + b"\x02" + HALT_ONE_HASH[15:],
            "hash cut short": HALT_ONE_HASH[:40],
            "header cut short": HALT_ONE_HASH[:11],
        }
        for what, data in bad.items():
            with self.subTest(what), self.assertRaises(ValueError):
                c.TbPolicy(data)

    def test_nv_index_rules(self):
        entry = {"index": "0x01200001", "attributes": "owner-rw", "data": HALT_ONE_HASH.hex(), "size": 300}
        policy, source = c.tboot_policy(scenario([entry]))
        self.assertEqual((policy.raw, source), (HALT_ONE_HASH, "TPM NV 0x01200001"))
        for change in ({"attributes": "platform-rw"}, {"attributes": "0x40002"}, {"attributes": 0x40001},
                       {"index": "0x01400001"}, {"data": "03" + HALT_ONE_HASH.hex()[2:]}):
            with self.subTest(change):
                policy, _ = c.tboot_policy(scenario([dict(entry, **change)]))
                expect_default = change != {"attributes": "0x40002"}
                self.assertEqual(policy.raw == DEFAULT_DA, expect_default)
        no_data = {"index": "0x01200001", "attributes": "owner-rw", "size": 64}
        self.assertEqual(c.tboot_policy(scenario([no_data]))[0].raw, DEFAULT_DA)


if __name__ == "__main__":
    unittest.main()
