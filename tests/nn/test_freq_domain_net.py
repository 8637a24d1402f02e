import numpy as np
import pytest
import torch

from mne_denoise.nn import DenoisingLoss, FreqDomainNet
from mne_denoise.nn._skorch import SemiSyntheticDataset, resolve_device
from mne_denoise.nn.freq_domain import fast_tanh, fft_conv

#: A network small enough that a training test runs in seconds.
TINY = {"channels": (2,), "n_bases": 2, "hidden": 4, "n_layers": 2,
        "estimator_hidden": 4}


def test_fft_conv_is_a_centered_linear_convolution():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 64))
    w = rng.normal(size=(2, 4, 3, 64))
    got = fft_conv(torch.tensor(x), torch.tensor(w)).numpy()
    want = np.zeros((2, 4, 64))
    for b in range(2):
        for o in range(4):
            for i in range(3):
                full = np.convolve(x[b, i], w[b, o, i])
                want[b, o] += full[32:32 + 64]
    np.testing.assert_allclose(got, want, atol=1e-9)


def test_fast_tanh_is_tanh_with_its_gradient():
    x = torch.linspace(-12, 12, 2001, dtype=torch.float32)
    want = torch.tanh(x.double())
    # float32 rounding of a result of scale 1, at any input
    assert (fast_tanh(x).double() - want).abs().max() < 3e-7
    assert fast_tanh(torch.tensor([0.0])).item() == 0.0  # zero stays zero
    xg = x.clone().requires_grad_()
    fast_tanh(xg).sum().backward()
    np.testing.assert_allclose(xg.grad.numpy(), (1 - want**2).numpy(), atol=1e-6)
    with torch.inference_mode():  # the in-place path gives the same numbers
        np.testing.assert_array_equal(fast_tanh(x).numpy(),
                                      fast_tanh(xg).detach().numpy())


def test_shapes_modes_and_identity_at_init():
    net = FreqDomainNet(256, **TINY)
    x = torch.randn(5, 1, 256)
    y, log_est, log_ref = net(x)
    assert y.shape == x.shape and log_est.shape == (5, 1, 129) and log_ref is None
    # Untrained filters start near zero: the residual path makes it ~identity.
    assert torch.allclose(y, x, atol=1e-3)
    noise = torch.randn(5, 1, 256)
    _, _, log_ref = net(noise=noise, x=x)
    assert log_ref.shape == (5, 1, 129)
    # Channel-less input is accepted too.
    assert net(x[:, 0])[0].shape == (5, 1, 256)


def test_reference_switch_changes_the_output():
    torch.manual_seed(0)
    net = FreqDomainNet(256, **TINY)
    for p in net.parameters():  # make the filters matter
        torch.nn.init.normal_(p, std=0.3)
    x, noise = torch.randn(2, 4, 1, 256)
    ref = net(x, noise, use_reference=torch.ones(4, dtype=torch.bool))[0]
    blind = net(x, noise, use_reference=torch.zeros(4, dtype=torch.bool))[0]
    assert torch.allclose(blind, net(x)[0])
    assert not torch.allclose(ref, blind)


def test_loss_backpropagates_into_every_parameter():
    net = FreqDomainNet(256, **TINY)
    x = torch.randn(4, 1, 256)
    out = net(x, torch.randn(4, 1, 256),
              use_reference=torch.tensor([True, False, True, False]))
    loss = DenoisingLoss()(out, torch.randn(4, 1, 256))
    loss.backward()
    assert torch.isfinite(loss)
    missing = [n for n, p in net.named_parameters() if p.grad is None]
    assert not missing


def test_semi_synthetic_dataset_redraws_unless_fixed():
    rng = np.random.default_rng(0)
    clean, art = rng.normal(size=(2, 8, 64))
    ds = SemiSyntheticDataset(clean, [art], (-7, 4), random_state=0)
    a, b = ds[0][0]["x"], ds[0][0]["x"]
    assert not torch.equal(a, b)
    fixed = SemiSyntheticDataset(clean, [art], (-7, 4), random_state=0, fixed=True)
    assert torch.equal(fixed[3][0]["x"], fixed[3][0]["x"])
    x, y = ds[1]
    assert torch.allclose(x["x"], y + x["noise"], atol=1e-5)
    with pytest.raises(ValueError, match="artifact pool"):
        SemiSyntheticDataset(clean, [art[:0]], (-7, 4))


def test_semi_synthetic_dataset_artifact_free_pairs():
    rng = np.random.default_rng(0)
    clean, art = rng.normal(size=(2, 8, 64))
    clean -= clean.mean(-1, keepdims=True)
    ds = SemiSyntheticDataset(clean, [art], (-7, 4), random_state=0,
                              clean_probability=0.5, n_items=400)
    items = [ds[i] for i in range(400)]
    free = [(x, y) for x, y in items if not torch.any(x["noise"])]
    # About half the pairs carry no artifact: input = target, unit std.
    assert 150 < len(free) < 250
    for x, y in free:
        assert torch.equal(x["x"], y)
        assert abs(float(x["x"].std(unbiased=False)) - 1.0) < 1e-4
    mixed = [(x, y) for x, y in items if torch.any(x["noise"])]
    assert all(torch.allclose(x["x"], y + x["noise"], atol=1e-5) for x, y in mixed)
    with pytest.raises(ValueError, match="clean_probability"):
        SemiSyntheticDataset(clean, [art], (-7, 4), clean_probability=1.0)


def test_resolve_device():
    assert resolve_device("auto") in ("cpu", "cuda")
    assert resolve_device("cpu") == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            resolve_device("cuda")


def test_reference_waveform_and_offsets():
    torch.manual_seed(0)
    net = FreqDomainNet(256, **TINY, use_bias=True, reference_waveform=True)
    assert net.evaluators[0].c_in == 2
    assert net.evaluators[0].bias is not None and net.evaluators[-1].bias is None
    for p in net.parameters():
        torch.nn.init.normal_(p, std=0.3)
    x, noise = torch.randn(2, 3, 1, 256)
    off = torch.zeros(3, dtype=torch.bool)
    # Blind items see no waveform: the same as giving no reference at all.
    assert torch.allclose(net(x, noise, use_reference=off)[0], net(x)[0])
    # The waveform matters in reference mode, beyond its spectrum.
    a = net(x, noise)[0]
    b = net(x, -noise)[0]
    assert not torch.allclose(a, b)


@pytest.mark.parametrize("kw", [{}, {"reference_waveform": True}])
def test_filters_are_those_forward_applies(kw):
    torch.manual_seed(0)
    net = FreqDomainNet(256, **TINY, **kw)
    with torch.no_grad():
        for p in net.parameters():
            p.add_(0.1 * torch.randn_like(p))
    x, noise = torch.randn(3, 1, 256), torch.randn(3, 1, 256)
    for ref in (None, noise):
        filters, spectra = net.filters(x, noise=ref)
        assert spectra.shape == (3, 3, 129)
        assert [tuple(f.shape) for f in filters] == [
            (3, e.c_out, e.c_in, 256) for e in net.evaluators]
        # Applying them as forward does gives forward's output.
        h = torch.cat([x, ref if ref is not None else torch.zeros_like(x)], 1) \
            if kw else x
        for i, filt in enumerate(filters):
            h = fft_conv(h, filt)
            if i < len(filters) - 1:
                h = net.activation(h)
        torch.testing.assert_close(net.skip * x - h, net(x, noise=ref)[0])


def _perturbed(net, seed=0):
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in net.parameters():
            p.add_(0.1 * torch.randn_like(p))
    return net


def test_time_local_frames_overlap_add_to_the_input():
    net = FreqDomainNet(256, frame=64, **TINY)
    for n in (256, 300, 33):
        x = torch.randn(3, 1, n)
        frames, n_frames = net._to_frames(x)
        assert frames.shape == (3 * n_frames, 1, 64)
        torch.testing.assert_close(net._overlap_add(frames, 3, n_frames, n), x)
    # Untrained, the framed network is near the identity as the whole-window one.
    x = torch.randn(4, 1, 256)
    y, log_est, _ = net(x)
    assert y.shape == x.shape and log_est.shape[-1] == 33
    assert torch.allclose(y, x, atol=1e-3)
    for bad in (3, 65, 512):
        with pytest.raises(ValueError, match="frame must be None or an even"):
            FreqDomainNet(256, frame=bad)


def test_time_local_filters_stay_local():
    # A change in the first 10 samples moves the filters of the frames that
    # hold them only: past one frame, the output is unchanged. The paper's
    # whole-window filters change everywhere.
    x = torch.randn(2, 1, 256)
    x2 = x.clone()
    x2[..., :10] += 5.0
    local = _perturbed(FreqDomainNet(256, frame=32, **TINY)).eval()
    whole = _perturbed(FreqDomainNet(256, **TINY)).eval()
    with torch.no_grad():
        d_local = (local(x2)[0] - local(x)[0]).abs()[..., 10 + 32:]
        d_whole = (whole(x2)[0] - whole(x)[0]).abs()[..., 10 + 32:]
    assert float(d_local.max()) < 1e-5
    assert float(d_whole.max()) > 1e-3
    # A window's output does not depend on the rest of its batch.
    with torch.no_grad():
        torch.testing.assert_close(local(x[:1])[0], local(x)[0][:1])


def test_time_local_filters_are_those_forward_applies():
    net = _perturbed(FreqDomainNet(128, frame=32, **TINY))
    x, noise = torch.randn(2, 1, 128), torch.randn(2, 1, 128)
    filters, spectra = net.filters(x, noise=noise)
    n_frames = 128 // 16 + 1
    assert spectra.shape == (2 * n_frames, 3, 17)
    assert [tuple(f.shape) for f in filters] == [
        (2 * n_frames, e.c_out, e.c_in, 32) for e in net.evaluators]
    h, _ = net._to_frames(x)
    frames = h
    for i, filt in enumerate(filters):
        h = fft_conv(h, filt)
        if i < len(filters) - 1:
            h = net.activation(h)
    want = net._overlap_add(net.skip * frames - h, 2, n_frames, 128)
    torch.testing.assert_close(want, net(x, noise=noise)[0])
