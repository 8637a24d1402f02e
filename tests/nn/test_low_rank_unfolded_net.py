import numpy as np
import pytest
import torch

from mne_denoise.denoisers._rpca import diagonal_average, hankel
from mne_denoise.nn import DenoisingLoss
from mne_denoise.nn._skorch import predict_windows
from mne_denoise.nn.low_rank_unfolded import (
    LowRankUnfoldedNet,
    UnfoldedLoss,
    predict_stages,
)

TINY = {"embed_dim": 16, "rank": 4, "hidden": 2, "depth": 1}


def test_shapes_and_stage_outputs():
    net = LowRankUnfoldedNet(128, n_stages=3, **TINY)
    x = torch.randn(5, 1, 128)
    cleaned, low, sparse, residual = net(x)
    assert cleaned.shape == residual.shape == (5, 1, 128)
    assert low.shape == sparse.shape == (5, 3, 128)
    torch.testing.assert_close(cleaned, low[:, -1:])
    torch.testing.assert_close(residual, x - low[:, -1:] - sparse[:, -1:])
    # Channel-less input is accepted too.
    assert net(x[:, 0])[0].shape == (5, 1, 128)


def test_low_rank_update_is_a_rank_limited_hankel_projection():
    torch.manual_seed(0)
    stage = LowRankUnfoldedNet(96, n_stages=1, embed_dim=12, rank=3, hidden=2,
                               depth=1).stages[0]
    for p in stage.weigher.parameters():  # make the weights vary in time
        torch.nn.init.normal_(p, std=0.5)
    v = torch.randn(2, 1, 96, dtype=torch.float64)
    s = torch.randn(2, 1, 96, dtype=torch.float64)
    stage.double()
    with torch.no_grad():
        got = stage.low_rank(v, s).numpy()[:, 0]
        # The same thing with explicit matrices: U (G * U^T H(v)), then
        # diagonal averaging.
        U = stage.basis[:, 0].numpy().T                       # (12, 3)
        start = 6
        coef = torch.nn.functional.conv1d(v, stage.basis).abs()
        feats = torch.cat(
            [v, s, torch.nn.functional.pad(coef, (start, 96 - 85 - start))], dim=1)
        G = torch.sigmoid(stage.weigher(feats))[..., start:start + 85].numpy()
    H = hankel(v.numpy()[:, 0], 12)                           # (2, 12, 85)
    L = U @ (G * (U.T @ H))
    assert np.linalg.matrix_rank(L[0]) <= 3
    np.testing.assert_allclose(got, diagonal_average(L, 96), atol=1e-10)


def test_full_rank_identity_basis_gives_the_input_back():
    stage = LowRankUnfoldedNet(64, n_stages=1, embed_dim=8, rank=8, hidden=2,
                               depth=1).stages[0]
    with torch.no_grad():
        stage.basis.copy_(torch.eye(8)[:, None, :])
        stage.weigher.head.bias.fill_(50.0)  # every gain ~1
    v = torch.randn(3, 1, 64)
    torch.testing.assert_close(stage.low_rank(v, torch.zeros_like(v)), v,
                               atol=1e-5, rtol=1e-5)


def test_cosine_basis_is_orthonormal():
    stage = LowRankUnfoldedNet(128, n_stages=1, **TINY).stages[0]
    B = stage.basis[:, 0].detach()
    torch.testing.assert_close(B @ B.T, torch.eye(4), atol=1e-5, rtol=1e-5)


def test_loss_backpropagates_into_every_parameter():
    net = LowRankUnfoldedNet(128, n_stages=2, **TINY)
    x = torch.randn(4, 1, 128)
    loss = UnfoldedLoss()(net(x), torch.randn(4, 1, 128))
    loss.backward()
    assert torch.isfinite(loss)
    missing = [n for n, p in net.named_parameters() if p.grad is None]
    assert not missing


def test_unfolded_loss_adds_deep_supervision():
    torch.manual_seed(0)
    y = torch.randn(3, 1, 128)
    out = (y + 0.1, torch.cat([y + 1.0, y + 0.1], dim=1), torch.zeros(3, 2, 128),
           torch.ones(3, 1, 128))
    plain = DenoisingLoss()(y + 0.1, y)
    only = UnfoldedLoss(stage_weight=0.0, residual_weight=0.0)(out, y)
    torch.testing.assert_close(only, plain)
    assert UnfoldedLoss(stage_weight=0.3, residual_weight=0.0)(out, y) > plain
    torch.testing.assert_close(
        UnfoldedLoss(stage_weight=0.0, residual_weight=0.5)(out, y), plain + 0.5)
    torch.testing.assert_close(UnfoldedLoss()(y + 0.1, y), plain)


def test_predict_stages_matches_predict_windows():
    net = LowRankUnfoldedNet(128, n_stages=3, **TINY)
    x = np.random.default_rng(0).normal(size=(7, 128))
    stages = predict_stages(net, x, batch_size=3)
    assert stages.shape == (3, 7, 128) and stages.dtype == np.float64
    np.testing.assert_allclose(stages[-1], predict_windows(net, x, batch_size=3),
                               atol=1e-6)


def test_bad_sizes():
    with pytest.raises(ValueError, match="rank <= embed_dim < n_times"):
        LowRankUnfoldedNet(128, rank=20, embed_dim=16)
    with pytest.raises(ValueError, match="n_stages must be >= 1"):
        LowRankUnfoldedNet(128, n_stages=0)
