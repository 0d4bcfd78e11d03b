// Follow one job over /ws/jobs/{id}; if the socket cannot be opened (a proxy without
// WebSockets), fall back to long-polling GET /api/tts/jobs/{id}?wait=.
import { api, wsUrl } from './client';
import type { Job, JobEvent } from './types';

export interface JobFollower {
	close(): void;
}

const TERMINAL = new Set(['complete', 'failed', 'cancelled', 'error']);

export function followJob(id: string, onEvent: (event: JobEvent) => void): JobFollower {
	let closed = false;
	let finished = false;
	// WebSocket routes are not part of the OpenAPI schema: this path is written by hand
	const socket = new WebSocket(wsUrl(`/ws/jobs/${encodeURIComponent(id)}`));

	const emit = (event: JobEvent) => {
		if (closed || finished) return;
		if (TERMINAL.has(event.type)) finished = true;
		onEvent(event);
	};

	socket.onmessage = (message) => {
		try {
			emit(JSON.parse(message.data) as JobEvent);
		} catch {
			/* not an event */
		}
	};
	socket.onclose = (event) => {
		if (closed || finished) return;
		if (event.code === 4401) {
			emit({ type: 'error', error: 'missing or invalid API key' });
			return;
		}
		// closed early or never opened: learn the outcome by long-polling
		void poll();
	};

	async function poll() {
		while (!closed && !finished) {
			try {
				const job = await api.job(id, 30);
				emit(jobEvent(job));
			} catch (e) {
				emit({ type: 'error', error: (e as Error).message });
			}
		}
	}

	return {
		close() {
			closed = true;
			if (socket.readyState <= WebSocket.OPEN) socket.close();
		}
	};
}

/** The event that describes a job's stored state. */
export function jobEvent(job: Job): JobEvent {
	switch (job.status) {
		case 'complete':
			return { type: 'complete', job_id: job.id, duration: job.duration_seconds };
		case 'failed':
		case 'cancelled':
			return { type: job.status, job_id: job.id, error: job.error };
		case 'running':
			return { type: 'generating', job_id: job.id, progress: job.progress };
		default:
			return { type: 'queued', job_id: job.id };
	}
}
