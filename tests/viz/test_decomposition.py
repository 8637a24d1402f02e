import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mne_denoise.denoisers._low_rank import LowRankDenoiser  # noqa: E402
from mne_denoise.denoisers._low_rank_unfolded import (  # noqa: E402
    LowRankUnfoldedDenoiser,
)
from mne_denoise.viz import plot_decomposition_stages  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_plot_stages_of_the_unfolded_network(epochs):
    den = LowRankUnfoldedDenoiser().fit(epochs[:2])
    fig = plot_decomposition_stages(den, epochs[:2], epoch=1, channel="Cz",
                                    show=False)
    assert isinstance(fig, matplotlib.figure.Figure)
    axes = np.array(fig.axes).reshape(-1, 2)
    assert axes.shape == (4, 2)  # one row per stage
    assert "cleaned EEG" in axes[0, 0].get_title()
    assert "removed" in axes[0, 1].get_title()
    assert "Cz" in fig._suptitle.get_text()
    # Input, low-rank and sparse traces add up on the last row.
    inp, low = (line.get_ydata() for line in axes[-1, 0].lines)
    sparse = axes[-1, 1].lines[1].get_ydata()
    np.testing.assert_allclose(low + sparse, inp, atol=1e-9)


def test_plot_iterations_of_the_classical_solver():
    X = np.random.default_rng(0).normal(size=(2, 2, 512))
    den = LowRankDenoiser(sfreq=256.0, embed_dim=32, n_iter=9, tol=1e-12).fit(X)
    fig = plot_decomposition_stages(den, X, stages=[0, -1], show=False)
    axes = np.array(fig.axes).reshape(-1, 2)
    assert axes.shape == (2, 2)
    assert axes[1, 0].get_ylabel().startswith("iteration 9")
    assert "cleaned EEG" in axes[0, 1].get_title()  # the sparse part
    fig = plot_decomposition_stages(den, X, show=False)  # default: at most 6
    assert len(fig.axes) == 12


def test_plot_errors():
    X = np.random.default_rng(0).normal(size=(1, 2, 512))
    den = LowRankDenoiser(sfreq=256.0, embed_dim=32, n_iter=3).fit(X)
    with pytest.raises(ValueError, match="stages must index the 3 stages"):
        plot_decomposition_stages(den, X, stages=5, show=False)
    with pytest.raises(ValueError, match="channel 'Fz' is not among"):
        plot_decomposition_stages(den, X, channel="Fz", show=False)
    with pytest.raises(ValueError, match="epoch must be in"):
        plot_decomposition_stages(den, X, epoch=3, show=False)
    with pytest.raises(TypeError, match="decompose method"):
        plot_decomposition_stages(object(), X, show=False)
