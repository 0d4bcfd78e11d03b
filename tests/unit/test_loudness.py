"""Loudness levelling on real speech: the level reached, the peaks, the joins, the calibration."""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from openspeakers.audio.calibration import Calibration, VoiceLoudness
from openspeakers.audio.encoding import decode
from openspeakers.audio.limiter import TruePeakLimiter, limited, true_peak_db
from openspeakers.audio.loudness import Leveling, integrated_loudness
from openspeakers.config import Settings
from openspeakers.engines.base import AudioChunk
from openspeakers.runtime import Runtime
from tests.audio_files import beckett_wav

TARGET, CEILING = -16.0, -1.5


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    """Ten seconds of a person reading (moonshine's Beckett sample), at -30.6 LUFS."""
    samples, rate = decode(beckett_wav())
    return samples.astype(np.float32), rate


def chunks_of(samples: np.ndarray, rate: int, seconds: float) -> list[AudioChunk]:
    size = int(seconds * rate)
    pieces = [samples[i : i + size] for i in range(0, samples.size, size)]
    return [AudioChunk(p, rate, i + 1, len(pieces)) for i, p in enumerate(pieces)]


def leveling(tmp_path: Path, **settings: object) -> Leveling:
    runtime = Runtime(Settings(data_dir=tmp_path, _env_file=None, **settings))  # type: ignore[call-arg]
    return Leveling.of(runtime, "piper", "joe", {})


def test_a_voice_never_heard_is_levelled_from_its_first_second(
        tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    quiet = samples * 0.5  # -36.6 LUFS
    out = list(leveling(tmp_path).stream(iter(chunks_of(quiet, rate, 0.25))))
    audio = np.concatenate([c.audio for c in out])
    assert audio.size == quiet.size  # nothing lost, nothing added
    assert abs(integrated_loudness(audio, rate) - TARGET) <= 1.0  # type: ignore[operator]
    assert true_peak_db(audio) <= CEILING
    # held until a second of audio was there, then sent as one chunk (less the limiter's
    # few milliseconds of look-ahead)
    assert 0.99 * rate <= out[0].audio.size <= rate


def test_a_known_voice_streams_without_waiting(tmp_path: Path,
                                               speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    half = samples.size // 2
    list(leveling(tmp_path).stream(iter(chunks_of(samples[:half], rate, 1.0))))  # learns
    pulled = 0

    def counted() -> Iterator[AudioChunk]:
        nonlocal pulled
        for chunk in chunks_of(samples[half:], rate, 0.25):
            pulled += 1
            yield chunk

    stream = leveling(tmp_path).stream(counted())
    first = next(stream)
    assert pulled == 1 and first.audio.size > 0.2 * rate
    rest = list(stream)
    assert 1 + len(rest) == pulled  # one chunk out per chunk in: the limiter's end rode along
    audio = np.concatenate([first.audio, *(c.audio for c in rest)])
    assert abs(integrated_loudness(audio, rate) - TARGET) <= 1.0  # type: ignore[operator]
    assert true_peak_db(audio) <= CEILING


def test_one_gain_for_the_whole_stream(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    """A quiet sentence after a loud one gets the same gain (where the limiter is not at work):
    it stays quieter, as the engine made it."""
    samples, rate = speech
    loud, quiet = samples[: 4 * rate], samples[4 * rate : 8 * rate] * 0.25
    raw = np.concatenate([loud, quiet])
    out = np.concatenate([c.audio for c in leveling(tmp_path).stream(
        iter([AudioChunk(loud, rate, 1, 2), AudioChunk(quiet, rate, 2, 2)]))])
    assert out.size == raw.size  # sample n out is sample n in, levelled
    heard = np.abs(raw) > 0.005
    gain = np.where(heard, out / np.where(heard, raw, 1), 0)
    first, second = gain[: loud.size].max(), gain[loud.size :].max()
    assert first > 2 and first == pytest.approx(second, rel=1e-4)


def test_off_leaves_the_audio_alone(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    chunks = chunks_of(samples, rate, 1.0)
    runtime = Runtime(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    per_job = Leveling.of(runtime, "piper", "joe", {"normalize_loudness": False})
    assert [c.audio is o.audio for c, o in zip(chunks, per_job.stream(iter(chunks)),
                                               strict=True)] == [True] * len(chunks)
    setting = leveling(tmp_path, loudness_normalize=False)
    assert list(setting.stream(iter(chunks))) == chunks
    assert not (tmp_path / "loudness.json").exists()


def test_limiter_keeps_true_peaks_under_the_ceiling_without_steps(
        speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    hot = samples * 10 ** (20 / 20)  # 20 dB louder: peaks far over full scale
    assert true_peak_db(hot) > 6
    out = limited(hot, rate, CEILING)
    assert out.size == hot.size
    assert true_peak_db(out) <= CEILING
    loud = np.abs(hot) > 0.2
    gain = out[loud] / hot[loud]
    assert gain.min() < 0.5  # it did work
    # consecutive loud samples: the gain moves by less than 0.2 dB (a step would be a click)
    steps = np.abs(np.diff(20 * np.log10(gain)))[np.diff(np.nonzero(loud)[0]) == 1]
    assert steps.max() < 0.2


def test_limiter_in_chunks_is_the_limiter_in_one_piece(speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    hot = samples * 8
    limiter = TruePeakLimiter(rate, CEILING)
    sizes = np.random.default_rng(1).integers(1, 3000, 200)
    pieces, start = [], 0
    for size in sizes:
        pieces.append(limiter.process(hot[start : start + size]))
        start += size
    pieces += [limiter.process(hot[start:]), limiter.flush()]
    np.testing.assert_allclose(np.concatenate(pieces), limited(hot, rate, CEILING), atol=1e-6)


def test_a_peak_at_the_very_start_is_limited_too(speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    loudest = int(np.argmax(np.abs(samples)))
    hot = samples[loudest - 2 :] * 8  # the stream opens on its loudest peak
    assert true_peak_db(hot[:4]) > 6
    assert true_peak_db(limited(hot, rate, CEILING)) <= CEILING


def test_limiter_passes_quiet_audio_unchanged(speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    quiet = samples * 0.2
    np.testing.assert_allclose(limited(quiet, rate, CEILING), quiet, atol=1e-7)


def learn_many(path: str, worker: int, count: int) -> None:
    calibration = Calibration(Path(path))
    for _ in range(count):
        calibration.learn(f"m/{worker % 2}", VoiceLoudness(-20.0 - worker % 2, 1.0, TARGET,
                                                           CEILING, 2.0, 1))


def test_calibration_survives_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "data" / "loudness.json"
    threads = [threading.Thread(target=learn_many, args=(str(path), i, 10)) for i in range(4)]
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=learn_many, args=(str(path), i, 10)) for i in range(4)]
    for worker in (*threads, *processes):
        worker.start()
    for thread in threads:
        thread.join()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    voices = json.loads(path.read_text())["voices"]
    assert voices["m/0"]["outputs"] + voices["m/1"]["outputs"] == 80
    assert (voices["m/0"]["lufs"], voices["m/1"]["lufs"]) == pytest.approx((-20.0, -21.0))
    assert Calibration(path).get("m/1").gain_db(TARGET, CEILING) == pytest.approx(6.0)  # type: ignore[union-attr]
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_calibration_follows_a_changed_voice_and_a_changed_target(tmp_path: Path) -> None:
    calibration = Calibration(tmp_path / "loudness.json")
    for _ in range(20):
        calibration.learn("v", VoiceLoudness(-20.0, 2.0, TARGET, CEILING, 30.0, 1))
    for _ in range(40):  # 20 minutes of the voice at its new level
        calibration.learn("v", VoiceLoudness(-25.0, 2.0, TARGET, CEILING, 30.0, 1))
    entry = calibration.get("v")
    assert entry is not None and entry.lufs < -24.0
    assert entry.gain_db(TARGET, CEILING) == pytest.approx(-16 + entry.lufs * -1 + 2.0)
    assert entry.gain_db(-23.0, CEILING) == pytest.approx(-23 - entry.lufs)  # loss unknown there
    (tmp_path / "loudness.json").write_text("{not json")
    assert calibration.get("v") is None  # a broken file is ignored, then replaced
    assert calibration.learn("v", VoiceLoudness(-20.0, 1.0, TARGET, CEILING, 3.0, 1)) is not None
