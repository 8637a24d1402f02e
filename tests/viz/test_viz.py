import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mne  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402

from mne_denoise import BandpassDenoiser, FreqDomainDenoiser  # noqa: E402

# The public names are re-exported by mne_denoise.viz; the private modules are
# imported here so that these tests do not depend on that wiring.
from mne_denoise.viz._benchmark import plot_benchmark  # noqa: E402
from mne_denoise.viz._filters import plot_filter_responses  # noqa: E402
from mne_denoise.viz._overlay import plot_overlay  # noqa: E402
from mne_denoise.viz._psd import plot_psd_comparison  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def cleaned(epochs):
    """A stand-in for a denoiser's output: the EEG with its references regressed."""
    out = epochs.copy()
    data = out.get_data()
    data[:, :6] -= 0.5 * data[:, 6:7] + 0.2 * data[:, 7:8]
    out._data = data
    return out


def _lines(ax):
    return [ln.get_label() for ln in ax.get_lines()]


# ----------------------------------------------------------------------------
# plot_overlay


def test_overlay_picks_the_most_changed_eeg_channels(epochs, cleaned):
    fig = plot_overlay(epochs, cleaned, n_channels=3, show=False)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    # Only EEG channels by default, before + after + removed on each.
    assert all(ax.get_ylabel().split("\n")[0] in epochs.ch_names[:6]
               for ax in fig.axes)
    assert _lines(fig.axes[0]) == ["before", "after", "removed"]
    assert "µV" in fig.axes[0].get_ylabel()


def test_overlay_explicit_picks_dict_and_time_span(epochs, cleaned):
    fig = plot_overlay(epochs, {"a": cleaned, "b": epochs}, picks=["Fp1", "O1"],
                       epoch=2, tmin=0.5, tmax=1.0, show_removed=False,
                       show=False)
    assert [ax.get_ylabel().split("\n")[0] for ax in fig.axes] == ["Fp1", "O1"]
    assert _lines(fig.axes[0]) == ["before", "a", "b"]
    t = fig.axes[0].get_lines()[0].get_xdata()
    assert t.min() >= 0.5 and t.max() <= 1.0
    assert "epoch 2" in fig.get_suptitle()


def test_overlay_arrays_raw_and_errors(epochs, cleaned):
    x = epochs.get_data(picks="eeg")
    fig = plot_overlay(x, 0.5 * x, sfreq=160.0, picks=[0], show=False)
    assert "a.u." in fig.axes[0].get_ylabel()
    # Long Raw data: a 10-s span around the largest change.
    rng = np.random.default_rng(0)
    info = mne.create_info(["Cz", "Pz"], 100.0, "eeg")
    data = rng.normal(size=(2, 6000)) * 1e-5
    raw = mne.io.RawArray(data, info, verbose=False)
    after = raw.copy()
    after._data[:, 3000:3050] += 1e-4
    fig = plot_overlay(raw, after, show=False)
    t = fig.axes[0].get_lines()[0].get_xdata()
    assert t.min() >= 24.9 and t.max() <= 35.1
    with pytest.raises(ValueError, match="pass sfreq"):
        plot_overlay(x, x, show=False)
    with pytest.raises(ValueError, match="shape"):
        plot_overlay(epochs, cleaned[:3], show=False)
    with pytest.raises(ValueError, match="not among the channels"):
        plot_overlay(epochs, cleaned, picks=["XX"], show=False)
    with pytest.raises(ValueError, match="epoch must be"):
        plot_overlay(epochs, cleaned, epoch=99, show=False)
    with pytest.raises(ValueError, match="select no sample"):
        plot_overlay(epochs, cleaned, tmin=50.0, show=False)
    with pytest.raises(TypeError, match="inst_before must be"):
        plot_overlay("data", cleaned, show=False)


# ----------------------------------------------------------------------------
# plot_psd_comparison


def test_psd_comparison(epochs, cleaned):
    fig = plot_psd_comparison(epochs, cleaned, fmax=60.0, show=False)
    assert isinstance(fig, Figure)
    ax_psd, ax_ratio = fig.axes
    assert _lines(ax_psd) == ["before", "after"]
    freqs = ax_psd.get_lines()[0].get_xdata()
    assert freqs.max() <= 60.0
    # Removing the references lowers the power: the ratio is mostly below 0 dB.
    ratio = ax_ratio.get_lines()[0].get_ydata()
    assert np.median(ratio) < 0
    fig = plot_psd_comparison(epochs, {"x": cleaned, "y": epochs}, picks=["Cz"],
                              title="t", show=False)
    assert _lines(fig.axes[0]) == ["before", "x", "y"]
    # Comparing data with itself: 0 dB everywhere.
    np.testing.assert_allclose(fig.axes[1].get_lines()[1].get_ydata(), 0.0,
                               atol=1e-9)
    x = epochs.get_data(picks="eeg")
    fig = plot_psd_comparison(x, x, sfreq=160.0, show=False)
    assert "a.u." in fig.axes[0].get_ylabel()
    with pytest.raises(ValueError, match="select no frequency"):
        plot_psd_comparison(epochs, cleaned, fmin=100.0, show=False)
    with pytest.raises(ValueError, match="channel type"):
        plot_psd_comparison(epochs, cleaned, picks="meg", show=False)


# ----------------------------------------------------------------------------
# plot_filter_responses


@pytest.mark.parametrize("mode", ["reference", "blind"])
def test_filter_responses(epochs, mode):
    den = FreqDomainDenoiser(noise_estimate=mode, device="cpu").fit(epochs)
    fig = plot_filter_responses(den, epochs, picks="Fp1", epoch=1, fmax=50.0,
                                show=False)
    assert isinstance(fig, Figure)
    n_steps = len(den.net_.module_.evaluators)
    assert len(fig.axes) == 1 + n_steps
    spectra = _lines(fig.axes[0])
    # Reference mode regresses the references out first, and the network
    # then reads its own estimate, as in transform.
    assert "noise, from the references" not in spectra
    assert "noise, learned estimate" in spectra
    assert ("regressed references" in fig.axes[0].get_title()) == (
        mode == "reference")
    for ax, ev in zip(fig.axes[1:], den.net_.module_.evaluators, strict=True):
        assert len(ax.get_lines()) == ev.c_out * ev.c_in
        assert ax.get_lines()[0].get_xdata().max() <= 50.0


def test_filter_responses_errors(epochs):
    with pytest.raises(TypeError, match="FreqDomainDenoiser"):
        plot_filter_responses(BandpassDenoiser().fit(epochs), epochs, show=False)
    with pytest.raises(NotFittedError):
        plot_filter_responses(FreqDomainDenoiser(), epochs, show=False)
    den = FreqDomainDenoiser(device="cpu").fit(epochs)
    with pytest.raises(ValueError, match="EEG channel"):
        plot_filter_responses(den, epochs, picks="EOG", show=False)
    with pytest.raises(ValueError, match="epoch must be"):
        plot_filter_responses(den, epochs, epoch=50, show=False)
    # Arrays with the fitted sampling rate work too.
    x = epochs.get_data(picks="eeg")[:2]
    den = FreqDomainDenoiser(sfreq=160.0, device="cpu").fit(x)
    assert len(plot_filter_responses(den, x, show=False).axes) >= 2


# ----------------------------------------------------------------------------
# plot_benchmark


def _rows():
    return [{"method": m, "artifact": k, "snr": float(s), "n": 3,
             "rrmse_t": 1.0 - 0.1 * i + 0.01 * s, "cc": 0.5, "seconds": 0.1}
            for k in ("eog", "emg") for i, m in enumerate(("none", "den"))
            for s in (-7, -2, 2)]


def test_plot_benchmark_rows_report_and_json(tmp_path):
    fig = plot_benchmark(_rows(), show=False)
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == ["EOG", "EMG"]
    assert _lines(fig.axes[0]) == ["none", "den"]
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_xdata(), [-7, -2, 2])
    (tmp_path / "benchmark.json").write_text(json.dumps({"rows": _rows()}))
    for src in (tmp_path, tmp_path / "benchmark.json", {"rows": _rows()}):
        fig = plot_benchmark(src, metric="cc", methods=["den"], show=False)
        assert _lines(fig.axes[1]) == ["den"]
        assert "correlation" in fig.axes[0].get_ylabel()


def test_plot_benchmark_errors(tmp_path):
    with pytest.raises(ValueError, match="'metric' parameter"):
        plot_benchmark(_rows(), metric="rmse", show=False)
    with pytest.raises(ValueError, match="not in the rows"):
        plot_benchmark(_rows(), methods=["nope"], show=False)
    with pytest.raises(ValueError, match="lack the metric"):
        plot_benchmark(_rows(), metric="rrmse_s", show=False)
    with pytest.raises(FileNotFoundError, match="mne-denoise benchmark"):
        plot_benchmark(tmp_path, show=False)
    with pytest.raises(ValueError, match="'rows'"):
        plot_benchmark({"summary": {}}, show=False)
    with pytest.raises(ValueError, match="keys"):
        plot_benchmark([{"method": "a"}], show=False)


# ----------------------------------------------------------------------------
# plot_gate_topomap


@pytest.fixture(scope="module")
def with_montage(_epochs_session):
    return _epochs_session.copy().set_montage("colin27_1020")


@pytest.fixture(scope="module")
def gated(with_montage):
    return FreqDomainDenoiser(device="cpu", max_epochs=0).fit(with_montage)


def test_gate_topomap_averages_the_gate_per_channel(with_montage, gated):
    from mne_denoise.viz._gate import plot_gate_topomap

    den = gated
    scores = den.artifact_scores(with_montage)
    fig = plot_gate_topomap(den, with_montage, show=False)
    assert isinstance(fig, Figure) and len(fig.axes) == 2  # map + colorbar
    np.testing.assert_allclose(fig.gate_values, scores["gate"].mean(axis=(0, 2)))
    assert len(fig.gate_values) == 6  # the EEG channels, not EOG/EMG
    open_ = plot_gate_topomap(den, with_montage, stat="open", show=False)
    np.testing.assert_allclose(open_.gate_values,
                               (scores["gate"] > 0.5).mean(axis=(0, 2)))
    prob = plot_gate_topomap(den, with_montage, stat="probability", show=False)
    np.testing.assert_allclose(prob.gate_values,
                               scores["probability"].mean(axis=(0, 2)))
    # Without a gate every correction passes: 1 everywhere.
    ungated = FreqDomainDenoiser(device="cpu", max_epochs=0,
                                 threshold=None).fit(with_montage)
    _, ax = plt.subplots()
    fig = plot_gate_topomap(ungated, with_montage, axes=ax, title="t",
                            show=False)
    assert fig is ax.figure and ax.get_title() == "t"
    np.testing.assert_allclose(fig.gate_values, 1.0)


def test_gate_topomap_errors(epochs, with_montage, gated):
    from mne_denoise.viz._gate import plot_gate_topomap

    den = gated
    with pytest.raises(ValueError, match="Set a montage"):
        plot_gate_topomap(den, epochs, show=False)  # no positions
    with pytest.raises(TypeError, match="EpochsArray"):
        plot_gate_topomap(den, with_montage.get_data(), show=False)
    with pytest.raises(TypeError, match="no artifact gate"):
        plot_gate_topomap(BandpassDenoiser().fit(epochs), with_montage,
                          show=False)
    with pytest.raises(ValueError, match="stat"):
        plot_gate_topomap(den, with_montage, stat="mean", show=False)
