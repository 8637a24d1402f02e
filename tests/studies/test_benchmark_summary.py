"""The benchmark's own summary names its winners (issue 12, item 7)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from mne_denoise.studies import benchmark  # noqa: E402
from mne_denoise.viz._benchmark import method_styles, plot_benchmark  # noqa: E402


def _rows(values):
    return [{"method": m, "artifact": k, "snr": s, "rrmse_t": v, "rrmse_s": v,
             "cc": 1 - v, "snr_imp": 0.0}
            for (m, k), v in values.items() for s in (-5.0, 0.0)]


def test_best_method_is_named_whatever_it_is():
    rows = _rows({("No denoising", "eog"): 1.0,
                  ("EOGRegression (reference)", "eog"): 0.30,
                  ("FreqDomainDenoiser (reference)", "eog"): 0.45,
                  ("FreqDomainDenoiser (blind)", "eog"): 0.60,
                  ("ComplexCNNDenoiser (blind)", "eog"): 0.55,
                  ("FreqDomainDenoiser (blind)", "emg"): 0.40,
                  ("EOGRegression (reference)", "emg"): 0.90})
    text = benchmark.best_methods_text(rows)
    assert "| EOG | all | EOGRegression (reference) | 0.300 |" in text
    assert "| EOG | blind | ComplexCNNDenoiser (blind) | 0.550 |" in text
    assert "| EOG | reference | EOGRegression (reference) | 0.300 |" in text
    assert "FreqDomainDenoiser (reference) (0.450)" in text  # the runner-up
    assert "| EMG | all | FreqDomainDenoiser (blind) | 0.400 |" in text
    # A classical winner is said to beat every deep model; a deep one is not.
    assert ("EOG: the best method is EOGRegression (reference), a classical "
            "method; no deep model in this table beats it") in text
    assert "EMG: the best method" not in text
    assert "No denoising" not in text


def test_quick_numbers_carry_a_warning():
    rows = _rows({("FreqDomainDenoiser (blind)", "eog"): 0.6})
    assert benchmark.comparison_text(rows, quick=True).startswith(
        benchmark.QUICK_WARNING)
    assert "Quick run" not in benchmark.comparison_text(rows)


def test_sixteen_methods_are_told_apart_in_the_figure():
    methods = [f"method {i}" for i in range(16)]
    styles = method_styles(methods)
    colours = [tuple(styles[m]["color"]) for m in methods]
    markers = [styles[m]["marker"] for m in methods]
    assert len(set(colours)) == 16
    assert len(set(markers)) >= 15
    assert len(set(zip(colours, markers, strict=True))) == 16
    rows = _rows({(m, "eog"): 0.1 * i for i, m in enumerate(methods)})
    fig = plot_benchmark(rows, show=False)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 16
    drawn = {(tuple(np.round(matplotlib.colors.to_rgba(ln.get_color()), 6)),
              ln.get_marker()) for ln in lines}
    assert len(drawn) == 16
