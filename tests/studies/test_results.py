import json
from pathlib import Path

import numpy as np

from mne_denoise.studies._results import save_results


def test_save_results_writes_both_files(tmp_path):
    out = tmp_path / "new" / "folder"
    paths = save_results(out, "study", {"path": Path("a/b"), "x": [1.5]},
                         "| a |\n|---|")
    assert paths == (out / "study.json", out / "study.md")
    assert json.loads(paths[0].read_text()) == {"path": "a/b", "x": [1.5]}
    assert paths[1].read_text() == "| a |\n|---|\n"
    # Written again: replaced, not appended; a final newline is not doubled.
    save_results(out, "study", [np.float32(0.25)], "text\n", indent=1)
    assert json.loads(paths[0].read_text()) == ["0.25"]
    assert paths[1].read_text() == "text\n"
