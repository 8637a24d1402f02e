import numpy as np
import pytest

from mne_denoise import FreqDomainDenoiser, LowRankUnfoldedDenoiser
from mne_denoise.cli import _build_parser, main
from mne_denoise.datasets import (
    SegmentBank,
    get_shared_data_path,
    simulate_eeg,
    simulate_emg,
    simulate_eog,
)
from mne_denoise.studies import train
from mne_denoise.studies.train import MODELS
from mne_denoise.weights import list_pretrained, load_pretrained


def test_every_shipped_model_has_a_training_spec():
    # One home for the models: the CLI's choices and the shipped weights
    # both come back to MODELS.
    assert set(list_pretrained()) <= set(MODELS)
    sub = _build_parser()._subparsers._group_actions[0].choices["train"]
    model_arg = next(a for a in sub._actions if a.dest == "model")
    assert list(model_arg.choices) == list(MODELS)
    assert MODELS["freq_domain"].estimator is FreqDomainDenoiser
    assert MODELS["low_rank_unfolded"].estimator is LowRankUnfoldedDenoiser


def test_unknown_model_is_refused():
    from mne_denoise.studies.train import train_model

    with pytest.raises(ValueError, match="Allowed values are 'freq_domain'"):
        train_model("freq_domian")


@pytest.mark.shared_data
def test_train_command_writes_weights_and_card(tmp_path):
    try:
        get_shared_data_path()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    assert main(["train", "freq_domain", "--quick", "--out", str(tmp_path),
                 "--module-params", '{"channels": [2], "hidden": 4}']) == 0
    bundle = load_pretrained(tmp_path / "freq_domain.pt")
    assert bundle["module_params"]["channels"] == [2]
    assert bundle["meta"]["epochs_run"] == 2 and bundle["meta"]["train_seconds"] > 0
    card = (tmp_path / "freq_domain.md").read_text()
    assert "Held-out test figures" in card and "| FreqDomainDenoiser (blind) |" in card
    # The written file is usable as weights.
    X = np.random.default_rng(0).normal(size=(2, 1, 512)) * 1e-5
    den = FreqDomainDenoiser(sfreq=256.0, weights=str(tmp_path / "freq_domain.pt"))
    assert den.fit(X).transform(X).shape == X.shape


def test_training_function_writes_weights_and_card(tmp_path, monkeypatch):
    def fake_pools(**kw):
        def parts(x, kind):
            bank = SegmentBank(x, 256.0, np.arange(len(x)) % 3, kind, ("sim",))
            return (bank, bank, bank)
        return {"eeg": parts(simulate_eeg(48, random_state=0), "eeg"),
                "eog": parts(simulate_eog(16, random_state=1), "eog"),
                "emg": parts(simulate_emg(16, random_state=2), "emg")}

    monkeypatch.setattr(train, "make_benchmark_pools", fake_pools)
    path = train.train_model(
        "low_rank_unfolded", out=tmp_path, max_epochs=1, batch_size=16,
        pairs_per_epoch=32, max_test_segments=8, test_snrs=(-5.0, 0.0), device="cpu",
        module_params={"n_stages": 2, "embed_dim": 16, "rank": 4, "hidden": 2,
                       "depth": 1})
    assert path.is_file()
    card = (tmp_path / "low_rank_unfolded.md").read_text()
    assert "LRR-UNet" in card and "own design" in card and "RRMSE_t" in card
    den = LowRankUnfoldedDenoiser(sfreq=256.0, weights=str(path))
    assert den.fit(np.zeros((1, 512))).module_params_["n_stages"] == 2


def _fake_pools(**kw):
    def parts(x, kind):
        bank = SegmentBank(x, 256.0, np.arange(len(x)) % 3, kind, ("sim",))
        return (bank, bank, bank)
    return {"eeg": parts(simulate_eeg(48, random_state=0), "eeg"),
            "eog": parts(simulate_eog(16, random_state=1), "eog"),
            "emg": parts(simulate_emg(16, random_state=2), "emg")}


def test_train_leaves_the_package_weights_untouched(tmp_path, monkeypatch, capsys):
    import hashlib

    from mne_denoise.weights import pretrained_path

    def digest():
        return {name: hashlib.sha256(pretrained_path(name).read_bytes()).hexdigest()
                for name in list_pretrained()}

    before = digest()
    monkeypatch.setattr(train, "make_benchmark_pools", _fake_pools)
    monkeypatch.chdir(tmp_path)
    # The command with no --out: the working directory, not the package.
    assert main(["train", "low_rank_unfolded", "--max-epochs", "1",
                 "--batch-size", "16", "--pairs-per-epoch", "32",
                 "--max-test-segments", "8", "--device", "cpu",
                 "--module-params", '{"n_stages": 1, "embed_dim": 8, "rank": 2, '
                 '"hidden": 2, "depth": 1}']) == 0
    assert digest() == before
    written = tmp_path / train.DEFAULT_OUT / "low_rank_unfolded.pt"
    assert written.is_file() and written.with_suffix(".md").is_file()
    out = capsys.readouterr().out
    assert f"weights={str(written)!r}" in out
    # Naming the package's folder is refused unless asked explicitly.
    with pytest.raises(ValueError, match="--into-package"):
        train.train_model("low_rank_unfolded",
                          out=pretrained_path("low_rank_unfolded").parent)
    with pytest.raises(ValueError, match="not both"):
        train.train_model("low_rank_unfolded", out=tmp_path, into_package=True)
    assert digest() == before


def test_into_package_targets_the_weights_folder(tmp_path):
    from mne_denoise.weights import pretrained_path

    assert train._output_folder(None, True) == pretrained_path("freq_domain").parent
    assert train._output_folder(tmp_path, False) == tmp_path


def test_mixture_share_is_recorded_and_carded(tmp_path, monkeypatch):
    monkeypatch.setattr(train, "make_benchmark_pools", _fake_pools)
    path = train.train_model(
        "freq_domain", out=tmp_path, max_epochs=1, batch_size=16,
        pairs_per_epoch=32, max_test_segments=8, test_snrs=(0.0,), device="cpu",
        mix_probability=0.4,
        module_params={"channels": [2], "hidden": 4, "n_bases": 2,
                       "estimator_hidden": 4})
    assert load_pretrained(path)["meta"]["mix_probability"] == 0.4
    card = (tmp_path / "freq_domain.md").read_text()
    assert "with probability 0.4 a training artifact is an EOG + EMG mixture" in card
    # Weights trained before the option: augment meant mixtures at 0.3.
    assert "probability 0.3 an EOG + EMG mixture" in train._augmentation_bullet(
        {"augment": True})
    assert train._augmentation_bullet({"augment": False}) == ""


def test_training_can_start_from_weights(tmp_path, monkeypatch):
    monkeypatch.setattr(train, "make_benchmark_pools", _fake_pools)
    tiny = {"channels": [2], "hidden": 4, "n_bases": 2, "estimator_hidden": 4}
    kw = dict(max_epochs=1, batch_size=16, pairs_per_epoch=32,
              max_test_segments=8, test_snrs=(0.0,), device="cpu")
    first = train.train_model("freq_domain", out=tmp_path / "a",
                              module_params=tiny, **kw)
    # No training step at all (lr 0): the weights come back unchanged, which
    # they would not from a fresh random start.
    again = train.train_model("freq_domain", out=tmp_path / "b", lr=0.0,
                              init_weights=first, module_params=tiny, **kw)
    a, b = load_pretrained(first), load_pretrained(again)
    for key, value in a["state_dict"].items():
        np.testing.assert_array_equal(b["state_dict"][key].numpy(), value.numpy())
    assert b["meta"]["init_weights"] == "freq_domain.pt"
    card = (tmp_path / "b" / "freq_domain.md").read_text()
    assert "Training started from `freq_domain.pt` (fine-tuning)" in card
    # Other network arguments than the starting weights': refused.
    with pytest.raises(ValueError, match="other network arguments"):
        train.train_model("freq_domain", out=tmp_path / "c", init_weights=first,
                          module_params={**tiny, "hidden": 6}, **kw)
    # The package's own, by name, for a model that has them.
    with pytest.raises(ValueError, match="other network arguments"):
        train.train_model("freq_domain", out=tmp_path / "d",
                          init_weights="pretrained", module_params=tiny, **kw)
