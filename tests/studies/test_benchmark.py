import json

import numpy as np
import pytest

from mne_denoise._protocol import snr_db
from mne_denoise.datasets import get_shared_data_path
from mne_denoise.studies import benchmark


def test_make_test_set_follows_the_protocol():
    rng = np.random.default_rng(0)
    clean = rng.normal(size=(6, 512))
    art = rng.normal(size=(4, 512))
    clean -= clean.mean(1, keepdims=True)
    art -= art.mean(1, keepdims=True)
    noisy, c, a, ref = benchmark.make_test_set(clean, art, -3.0)
    np.testing.assert_allclose(noisy, c + a, atol=1e-12)
    np.testing.assert_allclose(snr_db(c, a), -3.0, atol=1e-6)
    # The reference holds the artifact plus brain activity at half amplitude.
    resid = ref - a
    np.testing.assert_allclose(resid.std(1), 0.5 * c.std(1), rtol=1e-6)


def test_mixed_artifacts_are_unit_rms_sums():
    rng = np.random.default_rng(0)
    eog, emg = rng.normal(size=(5, 512)) * 3, rng.normal(size=(7, 512)) * 0.1
    mixed = benchmark.make_mixed_artifacts(eog, emg, 9, random_state=1)
    assert mixed.shape == (9, 512)
    # Each part has unit RMS, so neither kind dominates the mixture.
    np.testing.assert_allclose(np.sqrt(np.mean(mixed ** 2, axis=1)), np.sqrt(2),
                               rtol=0.15)
    np.testing.assert_array_equal(
        mixed, benchmark.make_mixed_artifacts(eog, emg, 9, random_state=1))


def _row(method, kind, value):
    return {"method": method, "artifact": kind, "snr": 0.0, "rrmse_t": value,
            "rrmse_s": value, "cc": 0.5, "snr_imp": 1.0}


def test_comparison_names_the_best_eegdenoisenet_network():
    rows = [_row("FCNNDenoiser (blind)", "eog", 0.9),
            _row("ComplexCNNDenoiser (blind)", "eog", 0.7),
            _row("BGAttentionDenoiser (blind)", "eog", 0.1),  # not EEGdenoiseNet
            _row("FreqDomainDenoiser (blind)", "eog", 0.6),
            _row("LowRankUnfoldedDenoiser (blind, budget)", "eog", 0.8)]
    text = benchmark.comparison_text(rows)
    assert "ComplexCNNDenoiser (blind), RRMSE_t 0.700" in text
    assert "FreqDomainDenoiser (blind): 0.600 (-0.100, matches or beats it)" in text
    assert "LowRankUnfoldedDenoiser (blind, budget): 0.800 (+0.100, worse)" in text
    assert "Complex CNN | 0.336 | 0.343 | 0.923" in text and "own data" in text


def test_cost_table_and_method_speed():
    def halve(noisy, reference, kind, sfreq):
        return noisy / 2

    speed = benchmark.measure_method_speed(halve, np.ones((100, 512)), repeats=1)
    assert speed["channel_windows_per_s"] > 0 and speed["latency_64ch_s"] >= 0
    table = benchmark.cost_table({
        "halve": {"n_params": None, "training": None, "speed": speed},
        "net": {"n_params": 1234, "speed": speed,
                "training": {"seconds": 5.0, "segments": 640, "device": "cpu"}},
    })
    assert "| halve | - | none |" in table
    assert "| net | 1,234 | 5 s, 640 segments (cpu) |" in table


@pytest.mark.shared_data
def test_benchmark_quick_run(tmp_path):
    try:
        get_shared_data_path()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    rep = benchmark.run_benchmark(out=tmp_path, max_segments=8, zoo_budget_s=0,
                                  verbose=False)
    saved = json.loads((tmp_path / "benchmark.json").read_text())
    methods = {r["method"] for r in saved["rows"]}
    assert {"FreqDomainDenoiser (blind)", "FreqDomainDenoiser (reference)",
            "EOGRegression (reference)", "Band-pass 1-40 Hz"} <= methods
    assert {r["artifact"] for r in saved["rows"]} == {"eog", "emg", "mixed"}
    assert {r["snr"] for r in saved["rows"]} == set(range(-7, 3))
    assert saved["throughput"]["channel_windows_per_s"] > 0
    cost = saved["costs"]["FreqDomainDenoiser (blind)"]
    assert cost["n_params"] == 55_922 and cost["training"]["shipped"]
    assert cost["speed"]["channel_windows_per_s"] > 0
    assert "RRMSE_t" in rep["markdown"] and "own data" in rep["markdown"]
    assert (tmp_path / "benchmark_rrmse_t.png").stat().st_size > 10_000
    # Doing nothing scores exactly the input's error: RRMSE_t = 10**(-SNR/10).
    for r in saved["rows"]:
        if r["method"] == "No denoising":
            assert np.isclose(r["rrmse_t"], 10 ** (-r["snr"] / 10), rtol=1e-6)
