import numpy as np
import pytest
import torch

from mne_denoise.nn.spatial import (
    KIND_EEG,
    KIND_EOG,
    SpatialNet,
    masked_mse,
    predict_spatial,
    train_spatial,
)

TINY = dict(hidden=8, n_heads=2, n_layers=1, n_frequencies=4)


def _inputs(b, c, t=512, seed=0):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(b, c, t, generator=gen)
    pos = torch.nn.functional.normalize(torch.randn(b, c, 3, generator=gen), dim=-1)
    kind = torch.full((b, c), KIND_EEG, dtype=torch.long)
    mask = torch.ones(b, c, dtype=torch.bool)
    return x, pos, kind, mask


@pytest.mark.parametrize("n_channels", [1, 3, 64, 130])
def test_any_channel_count(n_channels):
    net = SpatialNet(512, **TINY).eval()
    x, pos, kind, mask = _inputs(2, n_channels)
    with torch.no_grad():
        y = net(x, pos, kind, mask)
    assert y.shape == x.shape and torch.isfinite(y).all()


def test_channels_are_a_set_and_padding_is_ignored():
    net = SpatialNet(512, **TINY).eval()
    x, pos, kind, mask = _inputs(3, 9)
    perm = torch.randperm(9, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        a = net(x, pos, kind, mask)
        b = net(x[:, perm], pos[:, perm], kind[:, perm], mask[:, perm])
        # Two absent tokens (anything in them) change nothing for the others.
        pad = torch.cat([x, 100 * torch.randn(3, 2, 512)], dim=1)
        pad_pos = torch.cat([pos, torch.zeros(3, 2, 3)], dim=1)
        pad_kind = torch.cat([kind, torch.full((3, 2), KIND_EOG)], dim=1)
        pad_mask = torch.cat([mask, torch.zeros(3, 2, dtype=torch.bool)], dim=1)
        c = net(pad, pad_pos, pad_kind, pad_mask)
    torch.testing.assert_close(a[:, perm], b, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(c[:, :9], a, atol=1e-5, rtol=1e-4)
    # Positions matter (the encoding reaches the output).
    with torch.no_grad():
        d = net(x, -pos, kind, mask)
    assert (d - a).abs().max() > 1e-4


def test_predict_is_batch_independent_and_errors():
    net = SpatialNet(512, **TINY)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(11, 5, 512))
    pos = rng.normal(size=(5, 3))
    kind = np.zeros(5, int)
    alone = predict_spatial(net, x[3:4], pos, kind)
    among = predict_spatial(net, x, pos, kind)
    # Equal to float32 rounding: the CPU's matrix kernels may round a row
    # differently by its place in the batch (seen with MKL on AVX-512, about
    # 2e-7); anything the other windows leaked in would be far larger.
    np.testing.assert_allclose(alone[0], among[3], rtol=1e-5, atol=1e-6)
    assert np.abs(alone[0] - predict_spatial(net, x[4:5], pos, kind)[0]).max() > 1e-3
    with pytest.raises(ValueError, match="multiple of stride"):
        SpatialNet(500, stride=8)
    with pytest.raises(ValueError, match="multiple of n_heads"):
        SpatialNet(512, hidden=10, n_heads=4)


def test_training_learns_a_spatial_artifact():
    # A blink-like source with a fixed topography on 6 channels: the loss
    # falls well below doing nothing in a few dozen steps.
    rng0 = np.random.default_rng(0)
    pattern = np.array([1.0, 0.8, 0.5, 0.2, 0.1, 0.0])
    pos = rng0.normal(size=(6, 3))
    pos /= np.linalg.norm(pos, axis=1, keepdims=True)
    t = np.arange(512) / 256

    def draw(step, rng):
        clean = rng.normal(size=(16, 6, 512)) * 0.5
        blink = np.exp(-0.5 * ((t[None] - rng.uniform(0.3, 1.7, (16, 1))) / 0.1)
                       ** 2) * 3
        x = clean + pattern[None, :, None] * blink[:, None]
        return {"x": x, "y": clean, "pos": np.tile(pos, (16, 1, 1)),
                "kind": np.zeros((16, 6), int), "mask": np.ones((16, 6), bool)}

    net = SpatialNet(512, **TINY)
    valid = [draw(0, np.random.RandomState(5))]
    x0 = torch.as_tensor(valid[0]["x"], dtype=torch.float32)
    y0 = torch.as_tensor(valid[0]["y"], dtype=torch.float32)
    nothing = float(masked_mse(x0, y0, torch.ones(16, 6, dtype=torch.bool)))
    history = train_spatial(net, draw, n_steps=60, lr=1e-2, seed=0, valid=valid)
    best = min(h["valid_loss"] for h in history)
    assert best < 0.5 * nothing, (best, nothing)
    assert len(history) == 10 and history[-1]["step"] == 60


def test_train_spatial_anneals_within_its_time_budget():
    rng0 = np.random.RandomState(0)
    pos = rng0.normal(size=(4, 3))
    pos /= np.linalg.norm(pos, axis=1, keepdims=True)

    def draw(step, rng):
        x = rng.normal(size=(2, 4, 512))
        return {"x": x, "y": 0.5 * x, "pos": np.tile(pos, (2, 1, 1)),
                "kind": np.zeros((2, 4), int), "mask": np.ones((2, 4), bool)}

    # Steps alone: the cosine reaches zero at the last planned step.
    history = train_spatial(SpatialNet(512, **TINY), draw, n_steps=4, lr=1e-2)
    assert history[0]["lr"] < 1e-2 and history[-1]["lr"] < 1e-12
    # A budget that runs out first: the run stops early, annealed all the same.
    history = train_spatial(SpatialNet(512, **TINY), draw, n_steps=1000, lr=1e-2,
                            time_budget_s=1e-6)
    assert history[-1]["step"] < 1000 and history[-1]["lr"] < 1e-12
