// A small fetch wrapper: the API key as a Bearer header, errors turned into readable messages,
// and every path checked against the generated OpenAPI paths at compile time.
import { settings } from '$lib/stores/settings.svelte';
import type {
	ApiPath,
	BatchCreated,
	BatchRequest,
	BatchStatus,
	BuiltinVoice,
	GenerateRequest,
	Gpu,
	Health,
	Job,
	JobPage,
	JobStatus,
	Lexicon,
	LexiconEntry,
	LexiconEntryIn,
	Limits,
	Model,
	Removal,
	Storage
} from './types';

export class ApiError extends Error {
	constructor(
		public status: number,
		message: string
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/** The message of an error body: FastAPI's {detail} (a string or validation errors) or
 * OpenAI's {error: {message}}. */
export function errorMessage(status: number, body: unknown): string {
	if (body && typeof body === 'object') {
		const b = body as Record<string, unknown>;
		if (typeof b.detail === 'string') return b.detail;
		if (Array.isArray(b.detail)) {
			return b.detail
				.map((e: { loc?: unknown[]; msg?: string }) => {
					const where = (e.loc ?? []).filter((p) => p !== 'body').join('.');
					return where ? `${where}: ${e.msg}` : String(e.msg);
				})
				.join('; ');
		}
		const err = b.error as { message?: string } | undefined;
		if (err?.message) return err.message;
	}
	if (status === 401) return 'missing or invalid API key';
	return `request failed (HTTP ${status})`;
}

/** Fill `{name}` segments of a schema path. */
export function pathOf<P extends ApiPath>(path: P, params: Record<string, string> = {}): string {
	return path.replace(/\{(\w+)\}/g, (_, name: string) => {
		if (!(name in params)) throw new Error(`missing path parameter ${name}`);
		return encodeURIComponent(params[name]);
	});
}

export function authHeaders(): Record<string, string> {
	return settings.apiKey ? { Authorization: `Bearer ${settings.apiKey}` } : {};
}

type Listener = (error: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();
/** Called on every 401, e.g. to open the API key dialog. */
export function onUnauthorized(listener: Listener): () => void {
	unauthorizedListeners.add(listener);
	return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
	method?: string;
	json?: unknown;
	form?: FormData;
	query?: Record<string, string | number | undefined | null>;
	signal?: AbortSignal;
}

export async function raw(url: string, options: RequestOptions = {}): Promise<Response> {
	const query = new URLSearchParams();
	for (const [k, v] of Object.entries(options.query ?? {})) {
		if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
	}
	const full = query.size ? `${url}?${query}` : url;
	const headers: Record<string, string> = authHeaders();
	let body: BodyInit | undefined;
	if (options.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.json);
	} else if (options.form) {
		body = options.form;
	}
	let response: Response;
	try {
		response = await fetch(full, {
			method: options.method ?? 'GET',
			headers,
			body,
			signal: options.signal
		});
	} catch (e) {
		if ((e as Error).name === 'AbortError') throw e;
		throw new ApiError(0, 'the server cannot be reached');
	}
	if (!response.ok) {
		let parsed: unknown = null;
		try {
			parsed = await response.json();
		} catch {
			/* not JSON */
		}
		const error = new ApiError(response.status, errorMessage(response.status, parsed));
		if (response.status === 401) unauthorizedListeners.forEach((l) => l(error));
		throw error;
	}
	return response;
}

export async function request<T>(url: string, options: RequestOptions = {}): Promise<T> {
	const response = await raw(url, options);
	if (response.status === 204) return undefined as T;
	return (await response.json()) as T;
}

/** Fetch a file (with the API key, which <audio src> could not send) as a Blob. */
export async function fetchBlob(url: string, signal?: AbortSignal): Promise<Blob> {
	return (await raw(url, { signal })).blob();
}

export const api = {
	health: () => request<Health>(pathOf('/api/system/health')),
	gpu: () => request<Gpu>(pathOf('/api/system/gpu')),
	limits: () => request<Limits>(pathOf('/api/system/limits')),
	storage: () => request<Storage>(pathOf('/api/system/storage')),
	models: () => request<Model[]>(pathOf('/api/models')),
	loadModel: (id: string) =>
		request<Model>(pathOf('/api/models/{model_id}/load', { model_id: id }), { method: 'POST' }),
	unloadModel: (id: string) =>
		request<Model>(pathOf('/api/models/{model_id}/unload', { model_id: id }), { method: 'POST' }),
	builtinVoices: (modelId: string) =>
		request<BuiltinVoice[]>(pathOf('/api/voices/builtin/{model_id}', { model_id: modelId })),
	generate: (body: GenerateRequest) =>
		request<Job>(pathOf('/api/tts/generate'), { method: 'POST', json: body }),
	job: (id: string, wait?: number) =>
		request<Job>(pathOf('/api/tts/jobs/{job_id}', { job_id: id }), { query: { wait } }),
	jobs: (query: {
		page?: number;
		page_size?: number;
		status?: JobStatus | '';
		model_id?: string;
		search?: string;
	}) => request<JobPage>(pathOf('/api/tts/jobs'), { query }),
	cancel: (id: string) =>
		request<Job>(pathOf('/api/tts/jobs/{job_id}', { job_id: id }), { method: 'DELETE' }),
	/** Remove a finished job and its audio from the history (cancel is `cancel`). */
	deleteJob: (id: string) =>
		request<Removal>(pathOf('/api/tts/history/{job_id}', { job_id: id }), { method: 'DELETE' }),
	deleteJobs: (ids: string[]) =>
		request<Removal>(pathOf('/api/tts/history/delete'), { method: 'POST', json: { job_ids: ids } }),
	jobAudioUrl: (id: string) => pathOf('/api/tts/jobs/{job_id}/audio', { job_id: id }),
	batch: (body: BatchRequest) =>
		request<BatchCreated>(pathOf('/api/tts/batch'), { method: 'POST', json: body }),
	batchStatus: (id: string) =>
		request<BatchStatus>(pathOf('/api/tts/batches/{batch_id}', { batch_id: id })),
	batchZipUrl: (id: string) => pathOf('/api/tts/batches/{batch_id}/zip', { batch_id: id }),
	lexicon: (modelId?: string) =>
		request<Lexicon>(pathOf('/api/lexicon'), { query: { model_id: modelId } }),
	createLexiconEntry: (body: LexiconEntryIn) =>
		request<LexiconEntry>(pathOf('/api/lexicon'), { method: 'POST', json: body }),
	updateLexiconEntry: (id: string, body: LexiconEntryIn) =>
		request<LexiconEntry>(pathOf('/api/lexicon/{entry_id}', { entry_id: id }), {
			method: 'PUT',
			json: body
		}),
	deleteLexiconEntry: (id: string) =>
		request<void>(pathOf('/api/lexicon/{entry_id}', { entry_id: id }), { method: 'DELETE' })
};

/** ws(s)://host/ws/... with the key as ?api_key= (browsers cannot set WebSocket headers). */
export function wsUrl(path: string, origin: { protocol: string; host: string } = location): string {
	const scheme = origin.protocol === 'https:' ? 'wss' : 'ws';
	const key = settings.apiKey ? `?api_key=${encodeURIComponent(settings.apiKey)}` : '';
	return `${scheme}://${origin.host}${path}${key}`;
}
