
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
