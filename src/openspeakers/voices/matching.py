"""Offline voice matching: a Kokoro voice made from a reference recording, without training.

Kokoro cannot clone zero-shot, but each of its voices is a style array (510 x 1 x 256, one
256-d style per phoneme count). The search looks for the array whose speech sounds most like
the reference to a speaker encoder (Resemblyzer cosine similarity):

1. every preset voice (the baseline: the best of them);
2. random weighted blends of the presets (Dirichlet weights);
3. an evolution strategy ((mu/mu_w, lambda) with cumulative step-size adaptation, elitist)
   over blend weights plus a 256-d offset, scaled per dimension by how much the presets
   differ there, added to every row.

It runs as a job on the engine's queue (`task: voice_match`) with real progress, and saves
the best array as DATA_DIR/voices/<profile>.<model>.npy: the profile is then a voice of that
engine (`voice="profile:<id>"`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.analysis.service import Analysis
from openspeakers.audio.encoding import encode
from openspeakers.db.models import JobStatus, TTSJob, VoiceProfile, utcnow
from openspeakers.engines.base import GenerateRequest, TTSModelBase
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import ModelSpec
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.rows import (
    error_message,
    mark_cancelled,
    mark_failed,
    partial_path,
    request_from_job,
    update,
)
from openspeakers.runtime import Cancelled, CancelSignal
from openspeakers.voices.profiles import load_profile
from openspeakers.voices.refs import engine_voice_path

log = logging.getLogger(__name__)

MATCH_TASK = "voice_match"
FIT_TEXT = "The old man looked out over the sea and remembered the long summers of his youth."
"""What candidate voices say while they are compared with the reference."""


def matchable(spec: ModelSpec) -> bool:
    """Whether voices can be made for `spec`'s engine by searching its style space."""
    try:
        return callable(getattr(spec.engine_class(), "matching_styles", None))
    except Exception:  # noqa: BLE001 - an engine that cannot be imported here cannot match
        return False


class SearchStopped(Exception):
    pass


@dataclass
class SearchResult:
    style: np.ndarray
    similarity: float
    baseline_voice: str
    baseline_similarity: float
    evaluations: int
    seconds: float
    trace: list[dict[str, Any]] = field(default_factory=list)
    """The best similarity after each phase / generation."""


class StyleSearch:
    """Maximise `fitness(style)` over blends of `stock` styles plus a per-dimension offset."""

    def __init__(self, stock: dict[str, np.ndarray], fitness: Callable[[np.ndarray], float], *,
                 budget_s: float, max_evals: int, seed: int = 0,
                 on_progress: Callable[[float, float], None] | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.names = list(stock)
        self.stock = np.stack([np.asarray(stock[n], np.float64) for n in self.names])
        self.sigma = self.stock.std(axis=(0, 1, 2)) + 1e-3  # how much the presets differ
        self.fitness = fitness
        self.budget_s = budget_s
        self.max_evals = max(len(self.names) + 1, max_evals)
        self.rng = np.random.default_rng(seed)
        self.on_progress = on_progress or (lambda _fraction, _best: None)
        self.should_stop = should_stop or (lambda: False)
        self.clock = clock
        self.evaluations = 0
        self.best_x: np.ndarray | None = None
        self.best_f = -np.inf
        self._started = 0.0

    # the search space ------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return len(self.names) + self.stock.shape[-1]

    def style_of(self, x: np.ndarray) -> np.ndarray:
        k = len(self.names)
        weights = x[:k]
        total = weights.sum()
        weights = weights / total if abs(total) > 1e-3 else np.full(k, 1.0 / k)
        style = np.tensordot(weights, self.stock, axes=1) + x[k:] * self.sigma
        return style.astype(np.float32)

    # evaluation ------------------------------------------------------------------------------
    def _out_of_budget(self) -> bool:
        return (self.evaluations >= self.max_evals
                or self.clock() - self._started >= self.budget_s)

    def _evaluate(self, x: np.ndarray) -> float:
        if self.should_stop():
            raise SearchStopped
        value = float(self.fitness(self.style_of(x)))
        self.evaluations += 1
        if value > self.best_f:
            self.best_f, self.best_x = value, x.copy()
        fraction = max(self.evaluations / self.max_evals,
                       (self.clock() - self._started) / self.budget_s)
        self.on_progress(min(0.99, fraction), self.best_f)
        return value

    def run(self) -> SearchResult:
        self._started = self.clock()
        k = len(self.names)
        trace: list[dict[str, Any]] = []
        stock = [self._evaluate(np.concatenate([np.eye(k)[i], np.zeros(self.dim - k)]))
                 for i in range(k)]
        baseline = int(np.argmax(stock))
        trace.append({"phase": "presets", "evals": self.evaluations, "best": self.best_f})
        blends = min(8, max(2, (self.max_evals - k) // 3))
        for _ in range(blends):
            if self._out_of_budget():
                break
            weights = self.rng.dirichlet(np.full(k, 0.7))
            self._evaluate(np.concatenate([weights, np.zeros(self.dim - k)]))
        trace.append({"phase": "blends", "evals": self.evaluations, "best": self.best_f})
        self._evolve(trace)
        if self.best_x is None:
            raise RuntimeError("the search evaluated nothing")
        return SearchResult(self.style_of(self.best_x), round(self.best_f, 4),
                            self.names[baseline], round(stock[baseline], 4), self.evaluations,
                            round(self.clock() - self._started, 2), trace)

    def _evolve(self, trace: list[dict[str, Any]]) -> None:
        """(mu/mu_w, lambda)-ES with cumulative step-size adaptation, from the best so far."""
        if self.best_x is None:
            return
        k, dim = len(self.names), self.dim
        lam = 8
        mu = lam // 2
        weights = np.log(mu + 0.5) - np.log(np.arange(1, mu + 1))
        weights /= weights.sum()
        mueff = 1.0 / float(np.sum(weights**2))
        cs = (mueff + 2) / (dim + mueff + 5)
        ds = 1 + cs + 2 * max(0.0, np.sqrt((mueff - 1) / (dim + 1)) - 1)
        chi = np.sqrt(dim) * (1 - 1 / (4 * dim))
        scale = np.concatenate([np.full(k, 0.15), np.ones(dim - k)])
        mean, step, path = self.best_x.copy(), 0.5, np.zeros(dim)
        generation = 0
        while not self._out_of_budget():
            z = self.rng.standard_normal((lam, dim))
            values = []
            for row in z:
                if self._out_of_budget():
                    break
                values.append(self._evaluate(mean + step * row * scale))
            if len(values) < mu:
                break
            order = np.argsort(-np.asarray(values))[:mu]
            zw = weights @ z[order]
            mean = mean + step * zw * scale
            path = (1 - cs) * path + np.sqrt(cs * (2 - cs) * mueff) * zw
            step *= float(np.exp((cs / ds) * (np.linalg.norm(path) / chi - 1)))
            generation += 1
            trace.append({"phase": f"generation {generation}", "evals": self.evaluations,
                          "best": self.best_f, "step": round(step, 4)})


def similarity_fitness(engine: TTSModelBase, analysis: Analysis, reference: np.ndarray,
                       rate: int, request: GenerateRequest | None = None
                       ) -> Callable[[np.ndarray], float]:
    """style -> speaker similarity of `engine` saying FIT_TEXT with it to `reference`."""
    target = analysis.speakers.embed(reference, rate)
    base = replace(request or GenerateRequest(FIT_TEXT), text=FIT_TEXT, voice=None,
                   reference_audio=None, voice_style=None)

    def fitness(style: np.ndarray) -> float:
        result = engine.generate(replace(base, voice_style=style))
        heard = analysis.speakers.embed(result.audio, result.sample_rate)
        return analysis.speakers.similarity(heard, target)

    return fitness


def run_task(task: str, job_id: str, *, sessions: sessionmaker[Session], manager: ModelManager,
             events: EventBus, audio_dir: Path, cancel: CancelSignal,
             analysis: Analysis) -> str:
    """Run a job whose `task` parameter is set (the runner sends them here)."""
    if task != MATCH_TASK:
        return mark_failed(sessions, events, job_id, f"unknown task '{task}'")
    with sessions() as session:
        job = session.get(TTSJob, job_id)
        if job is None:
            return JobStatus.failed
        request = request_from_job(job)
        model_id, profile_id = job.model_id, job.voice_profile_id
        options = dict((job.parameters or {}).get("match") or {})
    tmp = partial_path(audio_dir, job_id)
    started = time.monotonic()
    try:
        if not profile_id:
            raise ValueError("a voice_match job needs a voice profile")
        profile = load_profile(sessions, analysis.voices_dir, profile_id, model_id)
        reference, reference_rate = profile.audio
        events.publish(job_id, {"type": "loading", "job_id": job_id, "model_id": model_id})
        with manager.use(model_id) as engine:
            fitness = similarity_fitness(engine, analysis, reference, reference_rate, request)

            def progress(fraction: float, best: float) -> None:
                update(sessions, job_id, progress=fraction)
                events.publish(job_id, {"type": "generating", "job_id": job_id,
                                        "progress": round(fraction, 4),
                                        "similarity": round(best, 4)})

            search = StyleSearch(engine.matching_styles(),  # type: ignore[attr-defined]
                                 fitness, budget_s=float(options.get("budget_s", 240)),
                                 max_evals=int(options.get("max_evals", 400)),
                                 seed=int(options.get("seed", 0)), on_progress=progress,
                                 should_stop=cancel.is_set)
            result = search.run()
            preview = engine.generate(replace(request, voice=None, reference_audio=None,
                                              voice_style=result.style))
        tmp.write_bytes(encode(preview.audio, preview.sample_rate, "wav"))
        similarity = profile.similarity(analysis, preview.audio, preview.sample_rate)
        _save_voice(sessions, analysis.voices_dir, profile_id, model_id, job_id, result)
        final = audio_dir / f"{job_id}.wav"
        tmp.replace(final)
        summary = {"similarity": result.similarity, "baseline_voice": result.baseline_voice,
                   "baseline_similarity": result.baseline_similarity,
                   "evaluations": result.evaluations, "seconds": result.seconds,
                   "trace": result.trace}
        with sessions.begin() as session:
            row = session.get(TTSJob, job_id)
            if row is not None:
                row.parameters = {**(row.parameters or {}), "match_result": summary}
                row.status, row.progress, row.finished_at = JobStatus.complete, 1.0, utcnow()
                row.audio_path, row.sample_rate = final.name, preview.sample_rate
                row.duration_seconds = preview.duration
                row.similarity, row.error = similarity, None
        log.info("voice match for profile %s on %s: %s %.3f -> %.3f (%d voices, %.0f s)",
                 profile_id, model_id, result.baseline_voice, result.baseline_similarity,
                 result.similarity, result.evaluations, result.seconds)
        events.publish(job_id, {"type": "complete", "job_id": job_id,
                                "duration": preview.duration, **summary,
                                "seconds": round(time.monotonic() - started, 3)})
        return JobStatus.complete
    except (SearchStopped, Cancelled):
        tmp.unlink(missing_ok=True)
        return mark_cancelled(sessions, events, job_id)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        log.exception("voice matching job %s failed", job_id)
        return mark_failed(sessions, events, job_id, error_message(exc))


def _save_voice(sessions: sessionmaker[Session], voices_dir: Path, profile_id: str,
                model_id: str, job_id: str, result: SearchResult) -> None:
    path = engine_voice_path(voices_dir, profile_id, model_id)
    tmp = path.with_name(f".{path.name}.partial")
    with tmp.open("wb") as out:
        np.save(out, result.style, allow_pickle=False)
    with sessions.begin() as session:
        profile = session.get(VoiceProfile, profile_id)
        if profile is None:
            tmp.unlink(missing_ok=True)
            raise ValueError(f"voice profile '{profile_id}' was deleted during the search")
        tmp.replace(path)
        profile.engine_voices = {**(profile.engine_voices or {}), model_id: {
            "similarity": result.similarity, "baseline_voice": result.baseline_voice,
            "baseline_similarity": result.baseline_similarity,
            "evaluations": result.evaluations, "seconds": result.seconds, "job_id": job_id,
            "created_at": utcnow().isoformat()}}
