"""The speed study: every method timed in one run, tables from its rows."""

import json

import numpy as np

from mne_denoise import BandpassDenoiser
from mne_denoise.cli import main
from mne_denoise.studies import speed
from mne_denoise.studies.speed import measure_transform_speed, run_speed


class _Counting(BandpassDenoiser):
    """A band-pass filter that records the order of its transform calls."""

    calls = []

    def transform(self, X):
        type(self).calls.append((self.l_freq, len(X)))
        return super().transform(X)


def test_calls_are_interleaved_and_figures_positive():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 4, 320)) * 1e-5
    dens = {name: _Counting(lo, 40.0, sfreq=160.0).fit(X)
            for name, lo in (("a", 1.0), ("b", 2.0))}
    _Counting.calls = []
    out = measure_transform_speed(dens, X, repeats=3)
    one_epoch = [lo for lo, n in _Counting.calls if n == 1]
    assert one_epoch == [1.0, 2.0] * 3  # round-robin, not method by method
    batch = [lo for lo, n in _Counting.calls if n == 3]
    assert batch == [1.0, 2.0]  # max(1, 3 // 10) rounds of the whole batch
    for figures in out.values():
        assert 0 < figures["latency_min_s"] <= figures["latency_s"]
        # 3 epochs x 4 channels of 2 s in the best batch call
        assert figures["channel_windows_per_s"] > 0


def test_run_speed_writes_both_memory_settings(tmp_path, monkeypatch):
    methods = {"Band-pass": lambda info: BandpassDenoiser(1.0, 40.0, info=info)}
    applied = []
    monkeypatch.setattr(speed, "reuse_freed_memory",
                        lambda: applied.append(True) or True)
    result = run_speed(out=tmp_path, methods=methods, threads=(1,),
                       n_epochs=2, n_channels=5, repeats=2, verbose=False)
    assert applied == [True]  # only after the default-memory rows
    assert [(r["memory"], r["threads"]) for r in result["rows"]] == [
        ("default", 1), ("reused", 1)]
    saved = json.loads((tmp_path / "speed.json").read_text())
    assert saved["rows"] == result["rows"]
    md = (tmp_path / "speed.md").read_text()
    assert "| Band-pass |" in md and "reused memory" in md


def test_run_speed_without_glibc_keeps_the_default_rows(monkeypatch):
    monkeypatch.setattr(speed, "reuse_freed_memory", lambda: False)
    methods = {"Band-pass": lambda info: BandpassDenoiser(1.0, 40.0, info=info)}
    result = run_speed(out=None, methods=methods, threads=(1,), n_epochs=2,
                       n_channels=3, repeats=1, verbose=False)
    assert {r["memory"] for r in result["rows"]} == {"default"}


def test_speed_command(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(speed, "run_speed", lambda **kw: seen.update(kw))
    assert main(["speed", "--out", str(tmp_path), "--thread-counts", "1", "3",
                 "--repeats", "4"]) == 0
    assert seen["threads"] == (1, 3) and seen["repeats"] == 4
