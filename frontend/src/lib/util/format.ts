// Pure helpers for display and request building (unit-tested in format.test.ts).
import type { GenerateRequest, Job, Model } from '$lib/api/types';

/** The server sends UTC times, sometimes without a zone (SQLite): read those as UTC too. */
export function parseServerDate(value: string | null | undefined): Date | null {
	if (!value) return null;
	const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
	const date = new Date(zoned);
	return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | null | undefined, locale?: string): string {
	const date = parseServerDate(value);
	if (!date) return '—';
	return date.toLocaleString(locale, {
		month: 'short',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	});
}

/** 1.99 -> "2.0 s", 65.2 -> "1:05" */
export function formatDuration(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
	if (seconds < 60) return `${seconds.toFixed(1)} s`;
	const m = Math.floor(seconds / 60);
	const s = Math.floor(seconds % 60);
	return `${m}:${String(s).padStart(2, '0')}`;
}

export function formatBytes(bytes: number | null | undefined): string {
	if (bytes === null || bytes === undefined) return '—';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatMegabytes(mb: number): string {
	return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

/** "similarity 0.91" style figures, or '' when the job has none. */
export function jobScores(job: Job): string {
	const parts: string[] = [];
	if (typeof job.similarity === 'number') parts.push(`similarity ${job.similarity.toFixed(2)}`);
	if (job.verify && typeof job.verify.wer === 'number') {
		const tries = job.verify.tries?.length ?? 0;
		parts.push(
			`WER ${(job.verify.wer * 100).toFixed(0)} %${job.verify.passed === false ? ' (above the limit)' : ''}` +
				(tries > 1 ? ` after ${tries} tries` : '')
		);
	}
	return parts.join(' · ');
}

export function percent(progress: number | null | undefined): number {
	return Math.round(Math.min(1, Math.max(0, progress ?? 0)) * 100);
}

const CAPABILITY_LABELS: Record<string, string> = {
	speed: 'Speed',
	pitch: 'Pitch',
	streaming: 'Streaming',
	voice_cloning: 'Voice cloning',
	instructions: 'Instructions'
};

export function capabilityLabel(capability: string): string {
	return CAPABILITY_LABELS[capability] ?? capability.replace(/_/g, ' ');
}

/** Where an engine runs, from its registry `device`: `auto` engines use a GPU when present. */
export function deviceLabel(device: string): string {
	return device === 'cuda' ? 'GPU' : device === 'auto' ? 'GPU or CPU' : 'CPU';
}

export function hasCapability(model: Model | undefined, capability: string): boolean {
	return !!model?.capabilities.includes(capability);
}

/** The speed a job was asked for: the server stores either a native engine speed or a tempo
 * (time-stretch) fallback, never both. */
export function requestedSpeed(parameters: Record<string, unknown>): number {
	const speed = typeof parameters.speed === 'number' ? parameters.speed : 1;
	const tempo = typeof parameters.tempo === 'number' ? parameters.tempo : 1;
	return Math.round(speed * tempo * 1000) / 1000;
}

/** A request that makes the same job again (re-run from the history). */
export function rerunRequest(job: Job, format?: GenerateRequest['format']): GenerateRequest {
	const p = job.parameters ?? {};
	const request: GenerateRequest = {
		text: job.text,
		model_id: job.model_id,
		voice: job.voice,
		speed: requestedSpeed(p),
		pitch: typeof p.pitch === 'number' ? p.pitch : 1,
		format: format ?? (job.format as GenerateRequest['format']),
		params: (p.engine as Record<string, unknown>) ?? {}
	};
	if (typeof p.language === 'string') request.language = p.language;
	const verify = p.verify as { max_wer?: number; max_tries?: number } | undefined;
	if (verify) request.verify = { max_wer: verify.max_wer, max_tries: verify.max_tries };
	return request;
}

/** One job per non-empty line, trimmed (what POST /api/tts/batch does with them too). */
export function batchLines(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line.length > 0);
}

/** filename="x.wav" or filename*=UTF-8''x.wav from a Content-Disposition header. */
export function dispositionFilename(header: string | null, fallback: string): string {
	if (!header) return fallback;
	const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
		} catch {
			/* fall through */
		}
	}
	const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
	return plain ? plain[1].trim() : fallback;
}

/** Engine parameters from the registry's defaults, as editable fields. */
export interface ParamField {
	key: string;
	kind: 'number' | 'text' | 'boolean';
	value: number | string | boolean;
}

export function paramFields(defaults: Record<string, unknown>): ParamField[] {
	return Object.entries(defaults).flatMap(([key, value]): ParamField[] => {
		if (typeof value === 'number') return [{ key, kind: 'number', value }];
		if (typeof value === 'boolean') return [{ key, kind: 'boolean', value }];
		if (typeof value === 'string') return [{ key, kind: 'text', value }];
		return []; // nested values are not editable here
	});
}

/** The parameters that differ from the registry defaults (only those are sent). */
export function changedParams(
	defaults: Record<string, unknown>,
	values: Record<string, unknown>
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(values)) {
		if (value !== defaults[key] && value !== '' && value !== null && value !== undefined) {
			out[key] = value;
		}
	}
	return out;
}

/** Case-insensitive match of every word of `query` against the fields. */
export function matchesQuery(query: string, ...fields: (string | null | undefined)[]): boolean {
	const haystack = fields.filter(Boolean).join(' ').toLowerCase();
	return query
		.toLowerCase()
		.split(/\s+/)
		.filter(Boolean)
		.every((word) => haystack.includes(word));
}
