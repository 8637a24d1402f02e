# License: BSD-3-Clause
"""Inference in fixed-size padded batches: outputs independent of the batch."""

import numpy as np
import pytest
import torch

from mne_denoise.nn import FreqDomainNet
from mne_denoise.nn._skorch import INFERENCE_BATCH, predict_windows
from mne_denoise.nn.low_rank_unfolded import LowRankUnfoldedNet, predict_stages
from mne_denoise.nn.zoo import MODULES
from mne_denoise.weights import load_pretrained

from .test_zoo_networks import TINY as TINY_ZOO

N_WINDOW = 512
#: (number of windows in the call, where the probed window sits): alone, in
#: a partial first batch, in a full batch, in the padded last one.
PLACES = [(1, 0), (5, 3), (64, 40), (300, 299)]


def _shipped(name, cls):
    bundle = load_pretrained(name)
    net = cls(N_WINDOW, **bundle["module_params"])
    net.load_state_dict(bundle["state_dict"])
    return net.eval()


def _probe_outputs(net, *, noise=False, threads=1, **kw):
    """The probed window's output at every place of PLACES."""
    rng = np.random.default_rng(0)
    window = rng.standard_normal(N_WINDOW)
    ref = rng.standard_normal(N_WINDOW)
    outs = []
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for n, pos in PLACES:
            x = rng.standard_normal((n, N_WINDOW))
            x[pos] = window
            z = None
            if noise:
                z = rng.standard_normal((n, N_WINDOW))
                z[pos] = ref
            outs.append(predict_windows(net, x, z, **kw)[pos])
    finally:
        torch.set_num_threads(old)
    return outs


def _assert_all_equal(outs):
    for out in outs[1:]:
        np.testing.assert_array_equal(out, outs[0])


@pytest.mark.parametrize("threads", [1, 2])
def test_shipped_networks_do_not_depend_on_the_batch(threads):
    freq = _shipped("freq_domain", FreqDomainNet)
    _assert_all_equal(_probe_outputs(freq, threads=threads))
    _assert_all_equal(_probe_outputs(freq, noise=True, threads=threads))
    unfolded = _shipped("low_rank_unfolded", LowRankUnfoldedNet)
    _assert_all_equal(_probe_outputs(unfolded, threads=threads))
    # Every stage, as the denoiser reads them.
    stages = _probe_outputs(unfolded, threads=threads, output=1)
    assert stages[0].shape == (4, N_WINDOW)
    _assert_all_equal(stages)
    # The last stage is the network's output.
    np.testing.assert_array_equal(stages[0][-1],
                                  _probe_outputs(unfolded, threads=threads)[0])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_zoo_networks_do_not_depend_on_the_batch(name):
    torch.manual_seed(0)
    net = MODULES[name](N_WINDOW, **TINY_ZOO[name]).eval()
    _assert_all_equal(_probe_outputs(net))


def test_batches_are_small_and_padded():
    calls = []

    class Recorder(torch.nn.Module):
        def forward(self, x):
            calls.append(tuple(x.shape))
            return 2 * x

    x = np.random.default_rng(1).standard_normal((70, 16))
    out = predict_windows(Recorder(), x)
    np.testing.assert_allclose(out, 2 * x, rtol=1e-6)
    assert out.dtype == np.float64 and out.shape == x.shape
    # One 64-channel epoch costs a couple of small batches, the last padded.
    assert INFERENCE_BATCH <= 64
    n_calls = -(-70 // INFERENCE_BATCH)
    assert calls == [(INFERENCE_BATCH, 1, 16)] * n_calls
    calls.clear()
    predict_windows(Recorder(), x, batch_size=8)
    assert calls == [(8, 1, 16)] * 9
    # No window, no call.
    calls.clear()
    assert predict_windows(Recorder(), x[:0]).shape == (0, 16)
    assert calls == []


def test_stages_output_matches_predict_stages():
    net = LowRankUnfoldedNet(128, n_stages=3, embed_dim=16, rank=4, hidden=2,
                             depth=1)
    x = np.random.default_rng(2).standard_normal((7, 128))
    got = predict_windows(net, x, output=1)
    assert got.shape == (7, 3, 128)
    np.testing.assert_allclose(got.transpose(1, 0, 2), predict_stages(net, x),
                               atol=1e-6)
    # One stage keeps its stage axis.
    one = LowRankUnfoldedNet(128, n_stages=1, embed_dim=16, rank=4, hidden=2,
                             depth=1)
    assert predict_windows(one, x, output=1).shape == (7, 1, 128)
    assert predict_windows(one, x).shape == (7, 128)
