import json

import numpy as np
import pytest

from mne_denoise._protocol import HIGH_SNR_GRID, TEST_SNR_GRID, snr_db
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


def _row(method, kind, value, snr=0.0):
    return {"method": method, "artifact": kind, "snr": snr, "rrmse_t": value,
            "rrmse_s": value, "cc": 0.5, "snr_imp": 1.0}


def _clean_segments(n=6, n_times=512, seed=0):
    # Broadband noise plus a 10-Hz rhythm: power in every EEG band.
    rng = np.random.default_rng(seed)
    t = np.arange(n_times) / 256.0
    x = rng.normal(size=(n, n_times)) + 2 * np.sin(2 * np.pi * 10 * t)
    return 1e-5 * (x - x.mean(1, keepdims=True))


def test_evaluate_clean_identity_and_harmful_methods():
    def identity(noisy, reference, kind, sfreq):
        return noisy

    def zero(noisy, reference, kind, sfreq):
        return np.zeros_like(noisy)

    def lowpass(noisy, reference, kind, sfreq):
        from mne_denoise.denoisers import BandpassDenoiser

        return BandpassDenoiser(None, 8.0, sfreq=sfreq,
                                method="iir").fit_transform(noisy)

    seen = {}

    def add_reference(noisy, reference, kind, sfreq):
        seen["input"], seen["reference"], seen["kind"] = noisy, reference, kind
        return noisy + reference

    rows = benchmark.evaluate_clean(
        {"No denoising": identity, "zero": zero, "low-pass 8 Hz": lowpass,
         "regress": add_reference}, _clean_segments())
    by = {r["method"]: r for r in rows}
    assert set(by["No denoising"]["band_power"]) == set(benchmark.CLEAN_INPUT_BANDS)
    assert by["No denoising"]["rrmse_t"] == 0.0 and by["No denoising"]["cc"] == 1.0
    np.testing.assert_allclose(list(by["No denoising"]["band_power"].values()), 1.0)
    assert by["zero"]["rrmse_t"] == 1.0
    assert all(v == 0.0 for v in by["zero"]["band_power"].values())
    low = by["low-pass 8 Hz"]["band_power"]
    assert low["delta"] > 0.9 and low["mu_beta"] < 0.5 and low["gamma"] < 0.01
    # The input is standardized as the protocol does; the reference holds
    # only unrelated brain activity at half the amplitude.
    np.testing.assert_allclose(seen["input"].std(1), 1.0, atol=1e-9)
    np.testing.assert_allclose(seen["reference"].std(1), 0.5, atol=1e-9)
    assert seen["kind"] == "eog"
    assert 0.4 < by["regress"]["rrmse_t"] < 0.6


def test_clean_and_high_snr_tables_in_the_markdown():
    rows = [_row(m, k, v + 0.01 * s, snr=float(s))
            for m, v in (("No denoising", 0.5), ("Net", 0.3))
            for k in ("eog", "emg") for s in TEST_SNR_GRID + HIGH_SNR_GRID]
    clean_rows = [
        {"method": "No denoising", "rrmse_t": 0.0, "rrmse_s": 0.0, "cc": 1.0,
         "band_power": dict.fromkeys(benchmark.CLEAN_INPUT_BANDS, 1.0)},
        {"method": "Net", "rrmse_t": 0.27, "rrmse_s": 0.2, "cc": 0.96,
         "band_power": {**dict.fromkeys(benchmark.CLEAN_INPUT_BANDS, 0.9),
                        "mu_beta": 0.65}},
        {"method": "Gentle", "rrmse_t": 0.03, "rrmse_s": 0.01, "cc": 0.999,
         "band_power": {**dict.fromkeys(benchmark.CLEAN_INPUT_BANDS, 0.99),
                        "mu_beta": 0.97}},
    ]
    md = benchmark.markdown_tables(rows, clean_rows)
    # The main figure stays the mean over the -7..2 dB grid.
    assert "Summary (mean over -7..2 dB)" in md
    mean = np.mean([0.5 + 0.01 * s for s in TEST_SNR_GRID])
    assert f"| No denoising | EOG | {mean:.3f} |" in md
    assert "RRMSE_t / CC at high SNR" in md and "| EOG 20 dB |" in md
    assert "| Net | 0.35 / 0.50 | 0.40 / 0.50 | 0.50 / 0.50 |" in md
    # The per-SNR tables hold the grid only; the high SNRs have their table.
    per_snr = md.split("RRMSE_t / CC at high SNR")[0]
    assert "| 2 dB |" in per_snr and "20 dB" not in per_snr
    assert "| **8-30 Hz kept** |" in md and "delta 1-4 Hz" in md
    assert "| Net | 0.270 | 0.200 | 0.960 | **65.0 %** |" in md
    assert "Best on clean input: No denoising" in md
    assert "Best of the denoisers: Gentle (RRMSE_t 0.030" in md
    assert ("alone (RRMSE_t <= 0.05 and >= 95 % of the 8-30 Hz power kept): "
            "Gentle." in md)
    # Without the identity the best method is named as such.
    text = benchmark.clean_input_table(clean_rows[1:])
    assert "Best on clean input: Gentle (RRMSE_t 0.030, CC 0.999, 97.0 %" in text
    # The summary ignores the high SNRs unless asked.
    s = benchmark.summarize(rows)
    assert np.isclose(s[("Net", "eog")]["rrmse_t"],
                      0.3 + 0.01 * np.mean(TEST_SNR_GRID))
    high = benchmark.summarize(rows, HIGH_SNR_GRID)
    assert np.isclose(high[("Net", "eog")]["rrmse_t"],
                      0.3 + 0.01 * np.mean(HIGH_SNR_GRID))
    with pytest.raises(ValueError, match="snrs=None"):
        benchmark.summarize([_row("a", "eog", 0.1, snr=3.0)])
    with pytest.raises(ValueError, match="none of the SNRs"):
        benchmark.high_snr_table([_row("a", "eog", 0.1)])


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
    rep = benchmark.run_benchmark(out=tmp_path, quick=True, max_segments=8,
                                  zoo_budget_s=0, verbose=False)
    saved = json.loads((tmp_path / "benchmark.json").read_text())
    methods = {r["method"] for r in saved["rows"]}
    assert {"FreqDomainDenoiser (blind)", "FreqDomainDenoiser (reference)",
            "EOGRegression (reference)", "Band-pass 1-40 Hz"} <= methods
    assert {r["artifact"] for r in saved["rows"]} == {"eog", "emg", "mixed"}
    assert {r["snr"] for r in saved["rows"]} == set(TEST_SNR_GRID + HIGH_SNR_GRID)
    clean = {r["method"]: r for r in saved["clean_input"]}
    assert set(clean) == methods
    assert clean["No denoising"]["rrmse_t"] == 0.0
    assert clean["No denoising"]["band_power"]["mu_beta"] == pytest.approx(1.0)
    assert "Best on clean input: No denoising" in rep["markdown"]
    assert "RRMSE_t / CC at high SNR" in rep["markdown"]
    assert "Summary (mean over -7..2 dB)" in rep["markdown"]
    assert saved["throughput"]["channel_windows_per_s"] > 0
    # The unseen-source test scores the same methods on other sources.
    assert {r["method"] for r in saved["unseen_rows"]} == methods
    assert {r["snr"] for r in saved["unseen_rows"]} == set(TEST_SNR_GRID)
    assert set(saved["unseen_clean_input"]) == set(
        benchmark.UNSEEN_CLEAN_NAMES.values())
    assert "## Unseen sources" in rep["markdown"]
    cost = saved["costs"]["FreqDomainDenoiser (blind)"]
    assert cost["n_params"] == 55_922 and cost["training"]["shipped"]
    assert cost["speed"]["channel_windows_per_s"] > 0
    assert "RRMSE_t" in rep["markdown"] and "own data" in rep["markdown"]
    assert (tmp_path / "benchmark_rrmse_t.png").stat().st_size > 10_000
    # Doing nothing scores exactly the input's error: RRMSE_t = 10**(-SNR/10).
    for r in saved["rows"]:
        if r["method"] == "No denoising":
            assert np.isclose(r["rrmse_t"], 10 ** (-r["snr"] / 10), rtol=1e-6)


def test_measure_throughput_times_the_shipped_freq_domain():
    thr = benchmark.measure_throughput(n_epochs=2, n_channels=3, repeats=1)
    assert thr["channel_windows_per_s"] > 0 and thr["latency_64ch_s"] > 0
    assert (thr["n_channels"], thr["sfreq"], thr["device"]) == (3, 160.0, "cpu")
