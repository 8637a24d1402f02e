"""Artifact augmentation and high-SNR draws of the semi-synthetic pairs."""

import numpy as np
import pytest
import torch

from mne_denoise import FreqDomainDenoiser
from mne_denoise._protocol import mix_at_snr, snr_db
from mne_denoise.nn import _skorch
from mne_denoise.nn._skorch import (
    SemiSyntheticDataset,
    shift_artifact,
    stretch_artifact,
    train_network,
)
from mne_denoise.nn.freq_domain import FreqDomainNet
from mne_denoise.nn.losses import DenoisingLoss

N = 256
TINY = dict(module__channels=(2,), module__n_bases=2, module__hidden=4,
            module__n_layers=2, module__estimator_hidden=4)


def _pools(seed=0):
    rng = np.random.default_rng(seed)
    clean = rng.standard_normal((6, N))
    slow = np.cumsum(rng.standard_normal((5, N)), axis=1)
    fast = rng.standard_normal((5, N)) * 3
    pools = [clean, slow, fast]
    return [p - p.mean(axis=1, keepdims=True) for p in pools]


def _arrays(ds, n=None):
    out = []
    for i in range(n or len(ds)):
        x, y = ds[i]
        out.append((x["x"][0].double().numpy(), y[0].double().numpy(),
                    x["noise"][0].double().numpy()))
    return out


def _old_draws(clean, artifacts, snr_range, n_items, seed):
    """The draws as made before the augmentation options existed."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_items):
        c = clean[i % len(clean)]
        pool = artifacts[rng.integers(len(artifacts))]
        art = pool[rng.integers(len(pool))]
        snr = rng.uniform(*snr_range)
        noisy, c, art, _ = mix_at_snr(c, art, snr)
        use_ref = rng.random() < 0.5
        out.append((noisy.astype(np.float32), c.astype(np.float32),
                    art.astype(np.float32), use_ref))
    return out


def test_defaults_draw_as_before():
    clean, slow, fast = _pools()
    old = _old_draws(clean, [slow, fast], (-7.0, 2.0), 12, seed=4)
    for kw in ({}, {"augment": False, "high_snr_probability": 0.0}):
        ds = SemiSyntheticDataset(clean, [slow, fast], (-7.0, 2.0), n_items=12,
                                  random_state=4, **kw)
        for i, (noisy, c, art, use_ref) in enumerate(old):
            x, y = ds[i]
            np.testing.assert_array_equal(x["x"][0].numpy(), noisy)
            np.testing.assert_array_equal(y[0].numpy(), c)
            np.testing.assert_array_equal(x["noise"][0].numpy(), art)
            assert bool(x["use_reference"]) == use_ref


@pytest.mark.parametrize("snr", [-5.0, 3.0])
def test_augmented_pairs_keep_the_mixing_and_the_snr(snr):
    clean, slow, fast = _pools()
    kw = dict(n_items=40, random_state=1, fixed=True)
    plain = _arrays(SemiSyntheticDataset(clean, [slow, fast], (snr, snr), **kw))
    aug = _arrays(SemiSyntheticDataset(clean, [slow, fast], (snr, snr),
                                       augment=True, **kw))
    again = _arrays(SemiSyntheticDataset(clean, [slow, fast], (snr, snr),
                                         augment=True, **kw))
    n_changed = 0
    for (noisy, c, art), (_, _, p_art), (a_noisy, _, a_art) in zip(
            aug, plain, again, strict=True):
        assert noisy.shape == (N,)
        # float32 items: the identity holds to float32 rounding.
        np.testing.assert_allclose(noisy, c + art, atol=1e-5)
        np.testing.assert_allclose(snr_db(c, art), snr, atol=1e-3)
        # Same seed, same augmented draws.
        np.testing.assert_array_equal(noisy, a_noisy)
        np.testing.assert_array_equal(art, a_art)
        n_changed += not np.allclose(art, p_art, atol=1e-3)
    # The artifacts differ from the unaugmented draws (the generator is
    # shared, so every item after the first differs).
    assert n_changed >= len(aug) - 1


def test_augmentation_seeds_differ():
    clean, slow, fast = _pools()
    a = _arrays(SemiSyntheticDataset(clean, [slow, fast], (-3, 3), n_items=8,
                                     augment=True, random_state=0))
    b = _arrays(SemiSyntheticDataset(clean, [slow, fast], (-3, 3), n_items=8,
                                     augment=True, random_state=1))
    assert not np.allclose(a[0][2], b[0][2])


def test_high_snr_probability():
    clean, slow, fast = _pools()
    snrs = [snr_db(c, art) for _, c, art in _arrays(SemiSyntheticDataset(
        clean, [slow, fast], (-7.0, 2.0), n_items=60, random_state=0,
        high_snr_probability=1.0, augment=True))]
    assert min(snrs) >= 5.0 - 1e-3 and max(snrs) <= 20.0 + 1e-3
    assert np.ptp(snrs) > 5  # drawn across the range, not one value
    half = [snr_db(c, art) for _, c, art in _arrays(SemiSyntheticDataset(
        clean, [slow, fast], (-7.0, 2.0), n_items=200, random_state=0,
        high_snr_probability=0.5))]
    share = np.mean(np.asarray(half) > 2.0 + 1e-3)
    assert 0.35 < share < 0.65
    with pytest.raises(ValueError, match="high_snr_probability must be in"):
        SemiSyntheticDataset(clean, [slow], (0, 1), high_snr_probability=1.5)


def test_mix_probability_without_augment_sums_untransformed_segments():
    clean, slow, fast = _pools()
    # Kinds whose segments are told apart by their pools: every drawn
    # artifact is one segment of a pool (a scaled copy) or, mixed, a sum of
    # one segment of each pool at unit RMS, never stretched or shifted.
    units = [p / np.sqrt(np.mean(p ** 2, axis=1, keepdims=True)) for p in (slow, fast)]
    ds = SemiSyntheticDataset(clean, [slow, fast], (0.0, 0.0), n_items=200,
                              random_state=3, mix_probability=1.0)
    lo, hi = _skorch.PART_GAIN_RANGE
    for _, _, art in _arrays(ds):
        # The sum's parts: least squares on the two pools' segments.
        basis = np.concatenate(units)
        coef, *_ = np.linalg.lstsq(basis.T, art, rcond=None)
        fit = basis.T @ coef
        np.testing.assert_allclose(fit, art, atol=1e-4 * np.abs(art).max())
        # One segment of each kind, with gains in the stated ratio range.
        big = np.abs(coef) > 1e-3 * np.abs(coef).max()
        assert big[:len(slow)].sum() == 1 and big[len(slow):].sum() == 1
        a, b = np.abs(coef[big])
        assert lo / hi - 1e-3 <= a / b <= hi / lo + 1e-3
    # A share, not all: about half of the draws are mixtures at 0.5.
    half = SemiSyntheticDataset(clean, [slow, fast], (0.0, 0.0), n_items=300,
                                random_state=3, mix_probability=0.5)
    basis = np.concatenate(units)
    n_mixed = 0
    for _, _, art in _arrays(half):
        coef, *_ = np.linalg.lstsq(basis.T, art, rcond=None)
        n_mixed += (np.abs(coef) > 1e-3 * np.abs(coef).max()).sum() == 2
    assert 0.35 < n_mixed / 300 < 0.65
    with pytest.raises(ValueError, match="mix_probability must be in"):
        SemiSyntheticDataset(clean, [slow], (0, 1), mix_probability=-0.1)


def test_augment_mixes_at_the_default_share_unless_told():
    clean, slow, fast = _pools()
    assert SemiSyntheticDataset(clean, [slow], (0, 1)).mix_probability == 0.0
    assert SemiSyntheticDataset(clean, [slow], (0, 1),
                                augment=True).mix_probability == _skorch.MIX_PROBABILITY
    kw = dict(n_items=20, random_state=5, augment=True)
    default = _arrays(SemiSyntheticDataset(clean, [slow, fast], (0, 0), **kw))
    same = _arrays(SemiSyntheticDataset(clean, [slow, fast], (0, 0),
                                        mix_probability=_skorch.MIX_PROBABILITY, **kw))
    for (_, _, a1), (_, _, a2) in zip(default, same, strict=True):
        np.testing.assert_array_equal(a1, a2)


@pytest.mark.parametrize("n", [N, 255])
@pytest.mark.parametrize("factor", [0.8, 0.9, 1.0, 1.1, 1.25])
def test_stretch_keeps_length_and_scales_frequency(n, factor):
    t = np.arange(n)
    cycles = 12
    x = np.sin(2 * np.pi * cycles * t / n)
    y = stretch_artifact(x, factor)
    assert y.shape == (n,)
    if factor == 1.0:
        np.testing.assert_allclose(y, x, atol=1e-9)
    # The stretched sine has its peak at cycles / factor (within one bin of
    # the crop/pad's leakage).
    peak = np.argmax(np.abs(np.fft.rfft(y * np.hanning(n))))
    assert abs(peak - cycles / factor) <= 1.0
    assert np.isfinite(y).all()


def test_shift_is_a_reflected_delay():
    x = np.random.default_rng(0).standard_normal(64)
    np.testing.assert_array_equal(shift_artifact(x, 5)[5:], x[:-5])
    np.testing.assert_array_equal(shift_artifact(x, 5)[:5], x[:5][::-1])
    np.testing.assert_array_equal(shift_artifact(x, -5)[:-5], x[5:])
    np.testing.assert_array_equal(shift_artifact(x, 0), x)


def _band_power(x, lo, hi):
    p = np.abs(np.fft.rfft(x)) ** 2
    return p[lo:hi].sum() / p.sum()


def test_mixtures_sum_two_kinds():
    t = np.arange(N)
    slow = np.sin(2 * np.pi * 3 * t / N)[None] * [[1.0], [2.0]]
    fast = np.sin(2 * np.pi * 60 * t / N)[None] * [[1.0], [0.5]]
    clean = np.zeros((1, N))
    ds = SemiSyntheticDataset(clean + 1, [slow, fast], (0, 0), augment=True,
                              mix_probability=1.0)
    for kind in (0, 1):
        art = ds._augmented((slow, fast)[kind][0], kind)
        # Both kinds are there, each at a gain within [0.5, 2] of unit RMS.
        low, high = _band_power(art, 0, 8), _band_power(art, 40, 100)
        assert low > 0.04 and high > 0.04 and low + high > 0.95
    ds = SemiSyntheticDataset(clean + 1, [slow, fast], (0, 0), augment=True,
                              mix_probability=0.0)
    art = ds._augmented(slow[0], 0)
    assert _band_power(art, 40, 100) < 0.02
    # One kind only: never mixed, whatever the probability.
    single = SemiSyntheticDataset(clean + 1, [slow], (0, 0), augment=True,
                                  mix_probability=1.0)
    assert _band_power(single._augmented(slow[0], 0), 40, 100) < 0.02


def test_train_network_takes_the_options():
    clean, slow, fast = _pools()
    params = {"n_times": N, "channels": (2,), "n_bases": 2, "hidden": 4,
              "n_layers": 2, "estimator_hidden": 4}
    states = []
    for kw in ({}, {"augment": True, "high_snr_probability": 0.5}):
        torch.manual_seed(0)
        net = train_network(FreqDomainNet, params, DenoisingLoss, clean,
                            [slow, fast], snr_range=(-7, 2), lr=1e-3,
                            batch_size=4, max_epochs=1, device="cpu", seed=0,
                            clean_valid=clean[:2], **kw)
        assert np.isfinite(net.history[-1, "valid_loss"])
        states.append(net.module_.state_dict())
    assert any(not torch.equal(states[0][k], states[1][k]) for k in states[0])


def test_estimator_fits_with_augmentation(epochs):
    kw = dict(weights=None, **TINY, batch_size=16, max_epochs=1, random_state=0)
    den = FreqDomainDenoiser(augment=True, high_snr_probability=0.2, **kw)
    assert den.get_params()["augment"] is True
    den.fit(epochs)
    assert np.isfinite(den.net_.history[-1, "train_loss"])
    assert den.transform(epochs).get_data().shape == epochs.get_data().shape
    plain = FreqDomainDenoiser(**kw).fit(epochs)
    a, b = den.net_.module_.state_dict(), plain.net_.module_.state_dict()
    assert any(not torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(TypeError, match="augment must be a bool"):
        FreqDomainDenoiser(augment="yes", **kw).fit(epochs)
    with pytest.raises(ValueError, match="high_snr_probability"):
        FreqDomainDenoiser(high_snr_probability=2.0, **kw).fit(epochs)


def test_cli_passes_the_options(monkeypatch):
    from mne_denoise import cli
    from mne_denoise.studies import train

    seen = {}
    monkeypatch.setattr(train, "train_model",
                        lambda model, **kw: seen.update(kw, model=model))
    assert cli.main(["train", "freq_domain", "--augment",
                     "--high-snr-probability", "0.25"]) == 0
    assert seen["augment"] is True and seen["high_snr_probability"] == 0.25
    cli.main(["train", "freq_domain"])
    assert seen["augment"] is False and seen["high_snr_probability"] == 0.0
