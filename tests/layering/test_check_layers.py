#!/usr/bin/env python3
"""Unit tests of check_layers.py on small made-up trees: a clean tree passes,
a forbidden include and a link line that does not match the includes fail."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layers  # noqa: E402


def make_tree(files):
    root = tempfile.mkdtemp(prefix="layers-")
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    return root


CLEAN = {
    "sim/errors.h": "#pragma once\n",
    "sim/report/report.cpp": '#include "sim/errors.h"\n#include <vector>\n',
    "sim/CMakeLists.txt": "target_link_libraries(dlsim_frontend PUBLIC dlsim_base nlohmann_json::nlohmann_json)\n",
    "tpm_model/tpm_engine.h": '#include "sim/errors.h"\n',
    "tpm_model/tests/engine_test.cpp": '#include "sim/report/report.h"\n',  # tests are not checked
}


class CheckLayers(unittest.TestCase):
    def test_clean_tree_passes(self):
        self.assertEqual(check_layers.check(make_tree(CLEAN)), [])

    def test_front_end_including_a_model_fails(self):
        files = dict(CLEAN)
        files["sim/report/tpm_part.cpp"] = '#include "tpm_model/tpm_engine.h"\n'
        problems = check_layers.check(make_tree(files))
        self.assertEqual(len([p for p in problems if "sim/report/tpm_part.cpp: includes tpm_model/tpm_engine.h" in p]), 1,
                         problems)

    def test_base_including_the_front_end_fails(self):
        files = dict(CLEAN)
        files["sim/bus.cpp"] = '#include "sim/report/report.cpp"\n'
        problems = check_layers.check(make_tree(files))
        self.assertTrue(any(p.startswith("sim/bus.cpp: includes sim/report/report.cpp (base may not use frontend)")
                            for p in problems), problems)

    def test_link_line_without_matching_include_fails(self):
        files = dict(CLEAN)
        files["sim/CMakeLists.txt"] = "target_link_libraries(dlsim_frontend PUBLIC dlsim_base dlsim_cpu)\n"
        problems = check_layers.check(make_tree(files))
        self.assertIn("dlsim_frontend: links dlsim_cpu, which none of its sources includes", problems)

    def test_zlib_linked_without_its_include_fails(self):
        files = dict(CLEAN)
        files["sim/CMakeLists.txt"] += "target_link_libraries(dlsim_frontend PRIVATE ZLIB::ZLIB)\n"
        problems = check_layers.check(make_tree(files))
        self.assertIn("dlsim_frontend: links ZLIB::ZLIB, which none of its sources includes", problems)

    def test_zlib_included_without_its_link_fails(self):
        files = dict(CLEAN)
        files["sim/report/gz.cpp"] = "#include <zlib.h>\n"
        problems = check_layers.check(make_tree(files))
        self.assertIn("dlsim_frontend: its sources include <zlib.h> but it does not link ZLIB::ZLIB", problems)
        files["sim/CMakeLists.txt"] += "target_link_libraries(dlsim_frontend PRIVATE ZLIB::ZLIB)\n"
        self.assertEqual(check_layers.check(make_tree(files)), [])

    def test_include_without_link_fails(self):
        files = dict(CLEAN)
        files["sim/CMakeLists.txt"] = "target_link_libraries(dlsim_frontend PUBLIC nlohmann_json::nlohmann_json)\n"
        problems = check_layers.check(make_tree(files))
        self.assertIn("dlsim_frontend: its sources include dlsim_base headers but it does not link it", problems)

    def test_main_exit_codes(self):
        sys.argv = ["check_layers.py", make_tree(CLEAN)]
        self.assertEqual(check_layers.main(), 0)
        files = dict(CLEAN)
        files["sim/report/tpm_part.cpp"] = '#include "tpm_model/tpm_engine.h"\n'
        sys.argv = ["check_layers.py", make_tree(files)]
        self.assertEqual(check_layers.main(), 1)


if __name__ == "__main__":
    unittest.main()
