import numpy as np
import pytest
import torch

from mne_denoise.nn.zoo import (
    DVAE,
    FCNN,
    MODULES,
    AdversarialRegressor,
    BGAttentionNet,
    ComplexCNN,
    Discriminator,
    DVAELoss,
    LSTMNet,
    ReconstructionLoss,
    SimpleCNN,
    UNet1d,
    criterion_for,
    get_module,
    register_module,
)

#: Tiny sizes, one per network, so that the tests run in a blink.
TINY = {
    "fcnn": dict(hidden=8, n_hidden_layers=1),
    "simple_cnn": dict(channels=2, n_layers=2),
    "complex_cnn": dict(channels=2, bottleneck=2, n_blocks=1),
    "lstm": dict(hidden=2, dense=8, n_dense=1),
    "bg_attention": dict(hidden=4, n_heads=2, frame=8),
    "unet": dict(depth=2, channels=2),
    "bilstm_ae": dict(frame=16, hidden=4, latent=2),
    "dvae": dict(channels=(2, 4), latent_channels=2),
}


def _n_params(module):
    return sum(p.numel() for p in module.parameters())


def _pred(y):
    return y[0] if isinstance(y, tuple) else y


@pytest.mark.parametrize("name", sorted(MODULES))
def test_shapes_and_gradients(name):
    net = MODULES[name](128, **TINY[name])
    x = torch.randn(3, 1, 128)
    y = net(x)
    assert _pred(y).shape == (3, 1, 128)
    # Channel-less input is accepted too.
    assert _pred(net(x[:, 0])).shape == (3, 1, 128)
    loss = criterion_for(type(net))()(y, torch.randn(3, 1, 128))
    loss.backward()
    assert torch.isfinite(loss)
    missing = [n for n, p in net.named_parameters() if p.grad is None]
    assert not missing
    net.eval()
    with torch.no_grad():  # deterministic at evaluation (DVAE decodes the mean)
        torch.testing.assert_close(_pred(net(x)), _pred(net(x)))


@pytest.mark.parametrize("cls", [BGAttentionNet, UNet1d, MODULES["bilstm_ae"], DVAE])
def test_fully_convolutional_or_recurrent_nets_take_any_length(cls):
    net = cls(128, **TINY[next(k for k, v in MODULES.items() if v is cls)]).eval()
    with torch.no_grad():
        assert _pred(net(torch.randn(2, 1, 100))).shape == (2, 1, 100)


def test_dense_heads_need_their_length():
    with pytest.raises(ValueError, match="built for n_times=128"):
        FCNN(128, hidden=4)(torch.randn(2, 1, 100))
    with pytest.raises(ValueError, match="built for n_times=128"):
        SimpleCNN(128, channels=2)(torch.randn(2, 1, 100))
    # The 1x1-convolution head takes any length.
    assert SimpleCNN(128, channels=2, head="conv")(torch.randn(2, 1, 100)).shape \
        == (2, 1, 100)
    with pytest.raises(ValueError, match=r"\(batch, 1, n_times\)"):
        FCNN(128)(torch.randn(2, 3, 128))


def test_default_sizes():
    # The published EEGdenoiseNet networks at 512 samples, and the others kept
    # CPU-sized.
    counts = {name: _n_params(cls(512)) for name, cls in MODULES.items()}
    assert counts["fcnn"] == 4 * (512 * 512 + 512)
    assert counts["simple_cnn"] > 16e6  # the flatten-to-dense head
    assert counts["complex_cnn"] > 8e6
    assert counts["lstm"] < 1e6
    assert counts["bg_attention"] < 2e6
    assert counts["unet"] < 2e6
    assert counts["bilstm_ae"] < 2e6
    assert counts["dvae"] < 2e6


def test_published_structure():
    net = ComplexCNN(512)
    assert len(net.branches) == 3 and all(len(b) == 2 for b in net.branches)
    lstm = LSTMNet(512)
    assert lstm.lstm.hidden_size == 1
    bg = BGAttentionNet(512)
    assert bg.encoder.bidirectional and bg.decoder.bidirectional
    assert isinstance(bg.attention, torch.nn.MultiheadAttention)
    # Per-time-step projection, not a flatten-to-dense head.
    assert bg.project.in_features == 2 * bg.encoder.hidden_size
    with pytest.raises(ValueError, match="must divide"):
        BGAttentionNet(512, hidden=5, n_heads=4)


def test_dvae_and_its_loss():
    torch.manual_seed(0)
    net = DVAE(128, **TINY["dvae"])
    recon, mu, logvar = net(torch.randn(4, 1, 128))
    assert mu.shape == logvar.shape == (4, 2, 32)
    target = torch.randn(4, 1, 128)
    plain = ReconstructionLoss()((recon, mu, logvar), target)
    with_kl = DVAELoss(beta=1.0)((recon, mu, logvar), target)
    kl = -0.5 * torch.mean(1 + logvar - mu**2 - logvar.exp())
    torch.testing.assert_close(with_kl, plain + kl)
    assert criterion_for(DVAE) is DVAELoss
    assert criterion_for(UNet1d) is ReconstructionLoss


def test_registry():
    assert get_module("unet") is UNet1d
    with pytest.raises(ValueError, match="Did you mean 'unet'"):
        get_module("unte")

    class Mine(torch.nn.Module):
        def __init__(self, n_times):
            super().__init__()

    try:
        register_module("mine_test", Mine)
        assert get_module("mine_test") is Mine
        with pytest.raises(ValueError, match="already registered"):
            register_module("mine_test", UNet1d)
        with pytest.raises(TypeError, match="torch.nn.Module subclass"):
            register_module("other", Mine(8))
    finally:
        MODULES.pop("mine_test", None)


def test_discriminator_and_adversarial_step():
    from skorch.callbacks import GradientNormClipping

    disc = Discriminator(128, channels=(2, 4))
    assert disc(torch.randn(5, 1, 128)).shape == (5,)
    torch.manual_seed(0)
    x = {"x": torch.randn(16, 1, 128)}
    y = torch.randn(16, 1, 128)
    net = AdversarialRegressor(
        UNet1d, criterion=ReconstructionLoss, module__n_times=128,
        module__depth=1, module__channels=2, discriminator__n_times=128,
        discriminator__channels=(2,), max_epochs=2, batch_size=8, lr=1e-2,
        train_split=None, verbose=0, optimizer=torch.optim.Adam,
        callbacks=[("clip", GradientNormClipping(1.0))],
    ).initialize()
    d0 = [p.detach().clone() for p in net.discriminator_.parameters()]
    g0 = [p.detach().clone() for p in net.module_.parameters()]
    net.partial_fit(x, y)
    # Both players moved, each with its own optimizer.
    assert any(not torch.equal(a, b)
               for a, b in zip(d0, net.discriminator_.parameters(), strict=True))
    assert any(not torch.equal(a, b)
               for a, b in zip(g0, net.module_.parameters(), strict=True))
    assert {"d_loss", "adv_loss"} <= set(net.history[-1, "batches", 0])
    assert len(net.optimizer_.param_groups[0]["params"]) == len(g0)


def test_train_network_adversarial():
    from mne_denoise.nn._skorch import train_network

    rng = np.random.default_rng(0)
    clean, arts = rng.normal(size=(16, 64)), [rng.normal(size=(4, 64))]
    kw = dict(snr_range=(-5.0, 5.0), lr=1e-3, batch_size=8, max_epochs=1,
              device="cpu", seed=0, with_reference=False, clean_valid=clean[:4])
    params = {"n_times": 64, "depth": 1, "channels": 2}
    plain = train_network(UNet1d, params, ReconstructionLoss, clean, arts, **kw)
    assert not isinstance(plain, AdversarialRegressor)
    net = train_network(UNet1d, params, ReconstructionLoss, clean, arts,
                        adversarial_weight=0.1,
                        discriminator_params={"channels": (2,)}, **kw)
    assert isinstance(net, AdversarialRegressor) and net.adversarial_weight == 0.1
    assert net.discriminator_.n_times == 64  # filled in from the network's
    assert {"d_loss", "adv_loss"} <= set(net.history[-1, "batches", 0])
    assert net.history[-1].get("valid_loss") is not None
