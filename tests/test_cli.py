import pytest

from mne_denoise.cli import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip()


def test_no_command_prints_help(capsys):
    assert main([]) == 1
    assert "demo" in capsys.readouterr().out


def test_demo_prints_metrics_and_writes_figure(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "contaminated (before)" in out and "FreqDomain, blind" in out
    assert (tmp_path / "demo_before_after.png").stat().st_size > 10_000


def test_decoding_command_dispatches(monkeypatch, tmp_path):
    from mne_denoise.studies import decoding

    calls = {}
    monkeypatch.setattr(decoding, "run_decoding_study",
                        lambda **kw: calls.update(kw))
    assert main(["decoding", "--quick", "--out", str(tmp_path), "--snr", "-3"]) == 0
    assert calls["datasets"] == [(1, (6, 10, 14))] and calls["snr"] == -3.0
    assert calls["out"] == str(tmp_path)
    main(["decoding", "--out", str(tmp_path)])
    assert calls["datasets"] is None  # every shared data set
    assert calls["n_jobs"] == 1 and calls["scenarios"] == list(decoding.SCENARIOS)
    main(["decoding", "--out", str(tmp_path), "--n-jobs", "2", "--scenarios",
          "clean", "few-channel"])
    assert calls["n_jobs"] == 2 and calls["scenarios"] == ["clean", "few-channel"]
    assert list(calls["methods"]) == list(decoding.default_denoisers())
    main(["decoding", "--out", str(tmp_path), "--methods", "EOGRegression",
          "Frequency regression"])
    assert list(calls["methods"]) == [decoding.NONE, "EOGRegression",
                                      "Frequency regression"]
    with pytest.raises(SystemExit, match="unknown --methods.*'EOGRegression'"):
        main(["decoding", "--methods", "EOGRegresion"])
    merged = {}
    monkeypatch.setattr(decoding, "merge_decoding_reports",
                        lambda reports, **kw: merged.update(reports=reports, **kw))
    calls.clear()
    main(["decoding", "--merge", "a", "b/decoding.json", "--out", str(tmp_path)])
    assert merged == {"reports": ["a", "b/decoding.json"], "out": str(tmp_path),
                      "scenarios": None, "methods": None}
    main(["decoding", "--merge", "a", "--scenarios", "clean", "--methods",
          "EOGRegression", "--out", str(tmp_path)])
    assert (merged["scenarios"], merged["methods"]) == (["clean"], ["EOGRegression"])
    with pytest.raises(SystemExit, match="--merge runs nothing.*--n-jobs"):
        main(["decoding", "--merge", "a", "--n-jobs", "2"])
    assert not calls  # nothing run


def _subcommands():
    from mne_denoise.cli import _build_parser

    parser = _build_parser()
    return parser, parser._subparsers._group_actions[0].choices


def test_every_option_has_help_and_defaults_show():
    import argparse

    parser, subs = _subcommands()
    assert set(subs) >= {"demo", "clean", "train", "benchmark", "decoding"}
    for name, sub in subs.items():
        assert sub.description, f"{name} has no description"
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, (
                f"{name} {action.option_strings or action.dest} has no help")
    text = subs["train"].format_help()
    assert "(default: 40)" in text and "--into-package" in text


def test_device_threads_seed_on_every_command_that_trains_or_evaluates():
    _, subs = _subcommands()
    for name in ("demo", "clean", "train", "benchmark", "decoding"):
        options = {o for a in subs[name]._actions for o in a.option_strings}
        assert {"--device", "--threads", "--seed"} <= options, name


def test_expected_error_is_one_line_with_exit_code_2(tmp_path, capsys):
    assert main(["train", "freq_domain", "--data", str(tmp_path / "nowhere"),
                 "--out", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("mne-denoise train: error:") and "Traceback" not in err
    # --traceback shows the exception itself.
    with pytest.raises(FileNotFoundError):
        main(["--traceback", "train", "freq_domain", "--data",
              str(tmp_path / "nowhere"), "--out", str(tmp_path)])


def test_benchmark_and_decoding_print_the_paths_they_wrote(monkeypatch, tmp_path,
                                                           capsys):
    from mne_denoise.studies import benchmark, decoding

    calls = {}
    monkeypatch.setattr(benchmark, "run_benchmark",
                        lambda **kw: {"figure": str(tmp_path / "fig.png")})
    monkeypatch.setattr(decoding, "run_decoding_study",
                        lambda **kw: calls.update(kw))
    assert main(["benchmark", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in ("benchmark.json", "benchmark.md", "fig.png"):
        assert f"Wrote {tmp_path / name}" in out
    assert main(["decoding", "--out", str(tmp_path), "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {tmp_path / 'decoding.json'}" in out
    # --device reaches the study's deep denoisers.
    factory = calls["methods"]["FreqDomain (blind)"][0]
    assert factory(None).device == "cpu"


def test_multichannel_command_runs_benchmark_and_real_checks(monkeypatch, tmp_path,
                                                           capsys):
    from mne_denoise.studies import multichannel

    calls = {}
    monkeypatch.setattr(multichannel, "run_multichannel_benchmark",
                        lambda **kw: calls.setdefault("bench", kw))
    monkeypatch.setattr(multichannel, "real_recording_checks",
                        lambda **kw: calls.setdefault("real", kw))
    assert main(["multichannel", "--out", str(tmp_path), "--quick",
                 "--n-epochs", "3", "--device", "cpu"]) == 0
    assert calls["bench"]["quick"] and calls["bench"]["n_epochs"] == 3
    assert calls["real"]["device"] == "cpu"
    out = capsys.readouterr().out
    for name in ("multichannel.json", "multichannel.md", "real_recordings.json"):
        assert f"Wrote {tmp_path / name}" in out
    calls.clear()
    assert main(["multichannel", "--out", str(tmp_path), "--skip-benchmark"]) == 0
    assert set(calls) == {"real"}
    assert "multichannel.json" not in capsys.readouterr().out


def test_fetch_command_downloads_what_it_is_told(monkeypatch, tmp_path, capsys):
    from mne_denoise import datasets

    calls = {}

    def fake(names=None, *, path=None, verbose=None):
        calls.update(names=names, path=path)
        return {"eeglab_sample": tmp_path / "eeglab_sample"}

    monkeypatch.setattr(datasets, "fetch_datasets", fake)
    assert main(["fetch", "eeglab_sample", "--path", str(tmp_path)]) == 0
    assert calls == {"names": ["eeglab_sample"], "path": str(tmp_path)}
    assert f"eeglab_sample: {tmp_path / 'eeglab_sample'}" in capsys.readouterr().out
    # An unknown or repacked data set is one line, exit status 2.
    monkeypatch.undo()
    assert main(["fetch", "uci_lower_limb_emg_1khz", "--path", str(tmp_path)]) == 2
    assert "cannot be downloaded" in capsys.readouterr().err


def test_gate_sites_command_runs_the_study(monkeypatch, tmp_path, capsys):
    from mne_denoise.studies import gate_sites

    calls = []
    monkeypatch.setattr(gate_sites, "run_gate_sites",
                        lambda **kw: calls.append(kw))
    assert main(["gate-sites", "--out", str(tmp_path), "--max-segments", "5",
                 "--seed", "3"]) == 0
    assert calls == [{"out": str(tmp_path), "data": None, "max_segments": 5,
                      "device": "auto", "random_state": 3, "iclabel": False}]
    assert "gate_sites.md" in capsys.readouterr().out
    assert main(["gate-sites", "--out", str(tmp_path), "--iclabel"]) == 0
    assert calls[-1]["iclabel"] is True
    assert "gate_sites_iclabel.md" in capsys.readouterr().out
