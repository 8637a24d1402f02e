"""Saving and reading every denoiser: round trips, callbacks, classes, bad files."""

import inspect
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback, EarlyStopping, LRScheduler

import mne_denoise
from mne_denoise import DeepDenoiser, UNetDenoiser, read_denoiser
from mne_denoise.denoisers import BaseDeepDenoiser, BaseDenoiser
from mne_denoise.denoisers._io import _FORMAT, info_to_dict
from mne_denoise.nn.callbacks import KeepBest, TimeBudget
from mne_denoise.nn.zoo import MODULES, register_module
from tests._tiny import TINY_ZOO

#: Tiny settings per exported estimator (the networks of tests/test_common.py
#: and tests/denoisers/test_*.py); the flagship denoisers keep their shipped
#: weights, whose sizes are fixed.
TINY = {
    "BandpassDenoiser": dict(l_freq=2.0, h_freq=30.0),
    "RegressionDenoiser": {},
    "ICADenoiser": dict(method="infomax", eog_measure="correlation",
                        eog_threshold=0.5, random_state=0),
    "ICLabelDenoiser": dict(random_state=0),
    "LowRankDenoiser": dict(embed_dim=32, n_iter=8),
    "DeepDenoiser": dict(module="unet", module__depth=1, module__channels=2),
    **TINY_ZOO,
    "FreqDomainDenoiser": {},
    "LowRankUnfoldedDenoiser": {},
    "SpatialDenoiser": {},
}
#: Training kept short: one epoch of few pairs.
TRAIN = dict(batch_size=16, pairs_per_epoch=32, random_state=0)


def _exported():
    """Every estimator class of ``mne_denoise.__all__``."""
    return [obj for obj in (getattr(mne_denoise, n) for n in mne_denoise.__all__)
            if isinstance(obj, type) and issubclass(obj, BaseDenoiser)]


def _callbacks():
    """One of each callback the package's training uses, none at defaults."""
    return [
        ("stop", EarlyStopping(monitor="train_loss", patience=2)),
        TimeBudget(600.0, check="epoch"),
        KeepBest(monitor="train_loss"),
        LRScheduler(policy="StepLR", step_size=1, gamma=0.5),
    ]


def _cases():
    """(class name, how it is fitted, with callbacks) for every estimator."""
    cases = []
    for cls in _exported():
        name = cls.__name__
        if not issubclass(cls, BaseDeepDenoiser):
            cases.append((name, "classical", False))
            continue
        default = inspect.signature(cls).parameters["weights"].default
        modes = (["pretrained", "fine-tuned"] if default == "pretrained"
                 else ["trained"])
        # SpatialDenoiser trains with its own loop, without skorch callbacks.
        cbs = ((False, True) if "callbacks" in inspect.signature(cls).parameters
               else (False,))
        cases += [(name, mode, cb) for mode in modes for cb in cbs]
    return cases


def _make(name, mode, with_callbacks):
    cls = getattr(mne_denoise, name)
    params = dict(TINY[name])
    if mode != "classical":
        params.update(TRAIN, max_epochs=0 if mode == "pretrained" else 1)
        if with_callbacks:
            params["callbacks"] = _callbacks()
    return cls(**params)


def _comparable(params):
    """get_params with the objects replaced by what identifies them."""
    out = dict(params)
    if out.get("info") is not None:
        out["info"] = info_to_dict(out["info"])
    if out.get("callbacks") is not None:
        out["callbacks"] = [
            (cb[0], type(cb[1]), cb[1].get_params()) if isinstance(cb, tuple)
            else (type(cb), cb.get_params()) for cb in out["callbacks"]]
    return out


def _save_quietly(den, fname):
    """Save, failing on any warning (nothing may be left out)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        den.save(fname)


def test_every_exported_estimator_has_tiny_settings():
    names = {cls.__name__ for cls in _exported()}
    assert names == set(TINY), names ^ set(TINY)
    assert len(names) == 17


# ---------------------------------------------------------------------------
# Round trips
@pytest.mark.parametrize(("name", "mode", "with_callbacks"), _cases(),
                         ids=lambda v: v if isinstance(v, str) else
                         ("callbacks" if v else "no-callbacks"))
def test_round_trip(name, mode, with_callbacks, epochs, tmp_path):
    # Positions for the denoisers that read the montage (ICLabel, Spatial).
    epochs = epochs.copy().set_montage("colin27_1020", on_missing="ignore")
    den = _make(name, mode, with_callbacks).fit(epochs)
    if mode in ("trained", "fine-tuned"):
        # It did train (one skorch epoch, or the spatial loop's steps).
        history = den.net_.history if hasattr(den, "net_") else den.history_
        assert len(history) >= 1
    ref = den.transform(epochs).get_data()
    fname = tmp_path / "den.pt"
    _save_quietly(den, fname)
    bundle = torch.load(fname, weights_only=True)  # the safe loader reads it
    assert bundle["format"] == _FORMAT == 2
    assert bundle["mne_denoise_version"] == mne_denoise.__version__
    assert bundle["class"] == name and bundle["left_out"] == {}
    back = read_denoiser(fname)
    assert type(back) is type(den)
    assert _comparable(back.get_params()) == _comparable(den.get_params())
    np.testing.assert_array_equal(back.transform(epochs).get_data(), ref)
    if with_callbacks:
        # New objects, built from the description, not the fitted copies.
        assert all(a is not b for a, b in zip(back.callbacks, den.callbacks,
                                              strict=True))
        assert isinstance(back.callbacks[1], TimeBudget)
        assert not hasattr(back.callbacks[1], "start_")


def test_object_parameters_round_trip(epochs, tmp_path):
    # An Info, a path, numpy scalars and a tuple as parameters.
    weights = Path(mne_denoise.weights.__file__).parent / "freq_domain.pt"
    den = mne_denoise.FreqDomainDenoiser(
        info=epochs.info, weights=weights, lr=np.float32(1e-3),
        batch_size=np.int64(16), max_epochs=0)
    X = epochs.get_data()
    ref = den.fit(X).transform(X)
    _save_quietly(den, tmp_path / "f.pt")
    back = read_denoiser(tmp_path / "f.pt")
    assert back.weights == weights and isinstance(back.weights, Path)
    assert type(back.lr) is np.float32 and back.lr == np.float32(1e-3)
    assert type(back.batch_size) is np.int64
    assert back.info.ch_names == epochs.ch_names
    assert back.info.get_channel_types() == epochs.get_channel_types()
    np.testing.assert_array_equal(back.transform(X), ref)
    dv = DeepDenoiser("dvae", module__channels=(2,), module__latent_channels=1,
                      max_epochs=1, **TRAIN).fit(epochs)
    _save_quietly(dv, tmp_path / "d.pt")
    assert read_denoiser(tmp_path / "d.pt").get_params()["module__channels"] == (2,)


def test_new_plain_parameters_need_no_code(epochs, tmp_path):
    # A parameter added to a class later (as a gate, a threshold) is a plain
    # value stored by name: a subclass with one more round-trips as is.
    class GatedUNet(UNetDenoiser):
        def __init__(self, *, gate=0.5, **kwargs):
            self.gate = gate
            super().__init__(**kwargs)

        @classmethod
        def _get_param_names(cls):
            return sorted({"gate", *UNetDenoiser._get_param_names()})

    den = GatedUNet(gate=0.25, max_epochs=1, **TINY["UNetDenoiser"], **TRAIN)
    den.fit(epochs)
    _save_quietly(den, tmp_path / "g.pt")
    back = read_denoiser(tmp_path / "g.pt")
    assert type(back) is GatedUNet and back.gate == 0.25


# ---------------------------------------------------------------------------
# Network classes
class _TinyNet(torch.nn.Module):
    """A network of the user's, defined at the top level of a module."""

    def __init__(self, n_times, *, width=3):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 1, width, padding="same")

    def forward(self, x):
        return self.conv(x)


def test_module_class_round_trip(epochs, tmp_path):
    den = DeepDenoiser(_TinyNet, module__width=5, max_epochs=1, **TRAIN)
    ref = den.fit(epochs).transform(epochs).get_data()
    fname = tmp_path / "net.pt"
    _save_quietly(den, fname)
    bundle = torch.load(fname, weights_only=True)
    assert bundle["params"]["module"]["path"] == f"{__name__}:_TinyNet"
    back = read_denoiser(fname)
    assert back.module is _TinyNet and back.module_params_["width"] == 5
    np.testing.assert_array_equal(back.transform(epochs).get_data(), ref)

    # A class that is gone: the error names it and says how to fix it.
    def rewrite(**desc):
        changed = torch.load(fname, weights_only=True)
        changed["params"]["module"].update(desc)
        # The file is consistent otherwise (as a file written elsewhere).
        from mne_denoise.denoisers._io import _checked, _checksum

        changed["checksum"] = _checksum(*_checked(changed))
        torch.save(changed, tmp_path / "changed.pt")
        return tmp_path / "changed.pt"

    with pytest.raises(ImportError, match=r"_Gone of the module .*test_io.*"
                       r"register_module"):
        read_denoiser(rewrite(path=f"{__name__}:_Gone"))
    with pytest.raises(ImportError, match="class Net of the module no_such_pkg"):
        read_denoiser(rewrite(path="no_such_pkg.nets:Net"))
    # Only subclasses of the allowed bases are imported.
    with pytest.raises(ValueError, match=r"os\.system as a torch.nn.Module "
                       "subclass, and it is not one: read_denoiser refuses it"):
        read_denoiser(rewrite(path="os:system"))
    with pytest.raises(ValueError, match="only imports subclasses of"):
        read_denoiser(rewrite(path="builtins:eval", base="builtins.object"))


def test_module_class_without_import_path(epochs, tmp_path):
    class LocalNet(_TinyNet):
        pass

    den = DeepDenoiser(LocalNet, max_epochs=1, **TRAIN).fit(epochs)
    with pytest.raises(TypeError, match=r"module=LocalNet cannot be saved: the "
                       r"class LocalNet is defined inside the function "
                       r"test_module_class_without_import_path.*"
                       r"register_module\('name', cls\)"):
        den.save(tmp_path / "never.pt")
    assert not (tmp_path / "never.pt").exists()
    main = type("MainNet", (_TinyNet,), {"__module__": "__main__"})
    den = DeepDenoiser(main, max_epochs=1, **TRAIN).fit(epochs)
    with pytest.raises(TypeError, match=r"MainNet is defined in __main__ .*"
                       "top level of a module"):
        den.save(tmp_path / "never.pt")
    # The existing way: a registered name is saved, and read back once the
    # name is registered again.
    register_module("_test_io_local", LocalNet)
    try:
        den = DeepDenoiser("_test_io_local", max_epochs=1, **TRAIN).fit(epochs)
        ref = den.transform(epochs).get_data()
        _save_quietly(den, tmp_path / "named.pt")
        np.testing.assert_array_equal(
            read_denoiser(tmp_path / "named.pt").transform(epochs).get_data(), ref)
    finally:
        del MODULES["_test_io_local"]
    with pytest.raises(ValueError, match="Unknown module '_test_io_local'.*"
                       "register_module"):
        read_denoiser(tmp_path / "named.pt")


# ---------------------------------------------------------------------------
# Parameters that cannot be described
def test_undescribable_parameter_left_out_with_a_warning(epochs, tmp_path):
    class LocalCallback(Callback):
        pass

    def quiet(*args):
        pass

    for bad in (EarlyStopping(monitor="train_loss", sink=quiet), LocalCallback()):
        den = UNetDenoiser(callbacks=[KeepBest(), bad], max_epochs=1,
                           **TINY["UNetDenoiser"], **TRAIN).fit(epochs)
        ref = den.transform(epochs).get_data()
        fname = tmp_path / "den.pt"
        with pytest.warns(UserWarning, match=r"leaves the parameter 'callbacks' "
                          r"out of the file: .*(function|inside a function).*"
                          "gives it the default, None"):
            den.save(fname, overwrite=True)
        assert "callbacks" in torch.load(fname, weights_only=True)["left_out"]
        back = read_denoiser(fname)
        assert back.callbacks is None  # the documented default
        assert back.get_params()["module__depth"] == 1
        np.testing.assert_array_equal(back.transform(epochs).get_data(), ref)


# ---------------------------------------------------------------------------
# Files that are not denoisers
@pytest.fixture
def saved(epochs, tmp_path):
    """A small saved denoiser and its bundle."""
    den = mne_denoise.RegressionDenoiser().fit(epochs)  # it holds a tensor
    den.save(tmp_path / "ok.pt")
    return tmp_path / "ok.pt", torch.load(tmp_path / "ok.pt", weights_only=True)


def test_bad_files(saved, tmp_path):
    fname, bundle = saved
    raw = fname.read_bytes()
    bad = tmp_path / "bad.pt"
    cases = [
        (b"", "not a denoiser file: it is empty"),
        (b"hello, I am text\n", "not a denoiser file: torch cannot read it"),
        (raw[:len(raw) // 2], r"not a denoiser file: torch cannot read it "
                              r"\(truncated, corrupted"),
        (raw[:200], "not a denoiser file: torch cannot read it"),
    ]
    for content, match in cases:
        bad.write_bytes(content)
        with pytest.raises(ValueError, match=match):
            read_denoiser(bad)
    # Damaged bytes inside the data torch itself does not check: the
    # checksum does.
    entry = next(i for i in zipfile.ZipFile(fname).infolist()
                 if i.filename.endswith("/data/0"))  # the coefficients
    header = raw[entry.header_offset:entry.header_offset + 30]
    start = entry.header_offset + 30 + sum(
        int.from_bytes(header[k:k + 2], "little") for k in (26, 28))
    data = bytearray(raw)
    data[start:start + 8] = bytes(b ^ 0xFF for b in data[start:start + 8])
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="is corrupted: its contents"):
        read_denoiser(bad)
    with pytest.raises(FileNotFoundError, match="No such denoiser file"):
        read_denoiser(tmp_path / "missing.pt")


def test_other_torch_files(saved, tmp_path):
    fname, bundle = saved
    bad = tmp_path / "bad.pt"
    torch.save({"a": 1}, bad)
    with pytest.raises(ValueError, match=r"not a denoiser file: it holds a dict "
                       r"with the keys \['a'\], without the 'format'"):
        read_denoiser(bad)
    torch.save(torch.zeros(3), bad)
    with pytest.raises(ValueError, match="not a denoiser file: it holds a Tensor"):
        read_denoiser(bad)
    # Python objects (as files of format 1 with callbacks hold): refused
    # before anything runs.
    torch.save({**bundle, "params": {"callbacks": [EarlyStopping()]}}, bad)
    with pytest.raises(ValueError, match=r"Python object \(skorch.*EarlyStopping\)"
                       ".*arbitrary code"):
        read_denoiser(bad)


def test_format_versions(saved, epochs, tmp_path):
    fname, bundle = saved
    bad = tmp_path / "bad.pt"
    torch.save({**bundle, "format": 99, "mne_denoise_version": "9.0"}, bad)
    with pytest.raises(ValueError, match=r"file format 99 \(written by mne_denoise "
                       r"9.0\).*reads the formats \[1, 2\]"):
        read_denoiser(bad)
    torch.save({**bundle, "class": "NoSuchDenoiser"}, bad)
    with pytest.raises(ValueError, match="'NoSuchDenoiser', which is not a denoiser"):
        read_denoiser(bad)
    torch.save({**bundle, "fitted": {**bundle["fitted"], "n_features_in_": 3}}, bad)
    with pytest.raises(ValueError, match="corrupted: its contents"):
        read_denoiser(bad)
    # A parameter this version does not have (a file of a newer version).
    from mne_denoise.denoisers._io import _checked, _checksum

    newer = {**bundle, "params": {**bundle["params"], "gate": 0.5}}
    newer["checksum"] = _checksum(*_checked(newer))
    torch.save(newer, bad)
    with pytest.raises(ValueError, match=r"parameters \['gate'\], which this "
                       "version"):
        read_denoiser(bad)
    damaged = {**bundle, "fitted": {"n_features_in_": 8}}
    damaged["checksum"] = _checksum(*_checked(damaged))
    torch.save(damaged, bad)
    with pytest.raises(ValueError, match="incomplete or damaged fitted state"):
        read_denoiser(bad)


def test_reads_format_1(epochs, tmp_path):
    # Files of the first format: no version, info as a plain dict.
    for den in (mne_denoise.RegressionDenoiser(info=epochs.info),
                UNetDenoiser(max_epochs=1, **TINY["UNetDenoiser"], **TRAIN)):
        den.fit(epochs)
        params = den.get_params(deep=False)
        params["info"] = info_to_dict(params["info"])
        old = {"format": 1, "class": type(den).__name__, "params": params,
               "fitted": den._fitted_state()}
        torch.save(old, tmp_path / "old.pt")
        back = read_denoiser(tmp_path / "old.pt")
        assert _comparable(back.get_params()) == _comparable(den.get_params())
        np.testing.assert_array_equal(back.transform(epochs).get_data(),
                                      den.transform(epochs).get_data())
