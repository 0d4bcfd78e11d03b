"""/ws: live job events and GPU figures."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from openspeakers.api.auth import websocket_allowed
from openspeakers.db.models import JobStatus, TTSJob
from openspeakers.gpu import gpu_stats
from openspeakers.jobs.events import TERMINAL, Event
from openspeakers.jobs.service import JobNotFoundError

router = APIRouter(prefix="/ws", tags=["websocket"])

_STATE_EVENT = {JobStatus.pending: "queued", JobStatus.running: "generating",
                JobStatus.complete: "complete", JobStatus.failed: "failed",
                JobStatus.cancelled: "cancelled"}


_ONCE = frozenset({"queued", "loading"})


def state_event(job: TTSJob) -> Event:
    """The event that describes a job's stored state (first message to every subscriber)."""
    event: Event = {"type": _STATE_EVENT[JobStatus(job.status)], "job_id": job.id,
                    "status": job.status, "progress": job.progress}
    if job.status == JobStatus.complete:
        event["duration"] = job.duration_seconds
    if job.error and job.status in (JobStatus.failed, JobStatus.cancelled):
        event["error"] = job.error
    return event


def wire(event: Event) -> dict[str, Any]:
    """JSON-ready event; audio goes as base64 16-bit little-endian mono PCM."""
    if event["type"] != "audio_chunk":
        return event
    pcm = (np.clip(event["audio"], -1.0, 1.0) * 32767).astype("<i2").tobytes()
    return {"type": "audio_chunk", "job_id": event["job_id"], "sample_rate": event["sample_rate"],
            "encoding": "pcm_s16le", "progress": event.get("progress"),
            "audio": base64.b64encode(pcm).decode()}


@router.websocket("/jobs/{job_id}")
async def job_events(websocket: WebSocket, job_id: str) -> None:
    context = websocket.app.state.context
    if not await websocket_allowed(websocket, context):
        return
    await websocket.accept()
    with context.events.subscribe_async(job_id) as events:
        try:
            job = await context.pools.db_call(context.jobs.get, job_id)
        except JobNotFoundError as exc:
            await websocket.send_json({"type": "error", "error": str(exc)})
            await websocket.close(code=4404)
            return
        current = state_event(job)
        try:
            await websocket.send_json(current)
            while current["type"] not in TERMINAL:
                event = await events.get()
                if event["type"] == current["type"] and event["type"] in _ONCE:
                    continue  # the bus replays its last event; the stored state said it already
                current = event
                await websocket.send_json(wire(current))
            await websocket.close()
        except WebSocketDisconnect:
            pass


@router.websocket("/gpu")
async def gpu(websocket: WebSocket) -> None:
    context = websocket.app.state.context
    if not await websocket_allowed(websocket, context):
        return
    await websocket.accept()
    try:
        while True:
            stats = await context.pools.slow_call(gpu_stats)
            await websocket.send_json(stats.model_dump())
            await asyncio.sleep(1.0)
    except WebSocketDisconnect:
        pass
