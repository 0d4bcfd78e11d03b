// Voice profiles (/api/voices). The upload is a multipart form that the OpenAPI types cannot
// describe as a body, so the page reads its field names from /openapi.json at run time; and it
// says "not available on this server" when an older server answers 404/405.
import { ApiError, pathOf, raw, request } from './client';
import type { Job, MatchRequest, VoicePatch, VoiceProfile } from './types';

export const VOICES_PATH = pathOf('/api/voices');

/** How POST /api/voices wants its multipart body, read from the OpenAPI schema. */
export interface UploadShape {
	/** the field that carries the audio file */
	file: string;
	/** our names (name, transcript, description, tags, model_id) -> the server's field names */
	fields: Partial<Record<'name' | 'transcript' | 'description' | 'tags' | 'model_id', string>>;
	/** the server takes tags as repeated fields (an array) rather than one comma-separated string */
	tagsAsArray: boolean;
}

type SchemaObject = {
	type?: string | string[];
	format?: string;
	contentMediaType?: string;
	properties?: Record<string, SchemaObject>;
	items?: SchemaObject;
	anyOf?: SchemaObject[];
	$ref?: string;
};
type OpenApi = {
	paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: SchemaObject }> } }>>;
	components?: { schemas?: Record<string, SchemaObject> };
};

function resolveRef(doc: OpenApi, schema: SchemaObject | undefined): SchemaObject | undefined {
	if (schema?.$ref) {
		const name = schema.$ref.split('/').pop() ?? '';
		return doc.components?.schemas?.[name];
	}
	return schema;
}

function isBinary(schema: SchemaObject | undefined): boolean {
	if (!schema) return false;
	if (schema.format === 'binary' || schema.contentMediaType) return true;
	return (schema.anyOf ?? []).some(isBinary) || isBinary(schema.items);
}

function isArray(schema: SchemaObject | undefined): boolean {
	if (!schema) return false;
	if (schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'))) {
		return true;
	}
	return (schema.anyOf ?? []).some(isArray);
}

const ALIASES: Record<keyof UploadShape['fields'], string[]> = {
	name: ['name'],
	transcript: ['transcript', 'reference_text', 'text'],
	description: ['description'],
	tags: ['tags'],
	model_id: ['model_id', 'model']
};

/** The upload shape of POST /api/voices, or null when the server has no such operation. */
export function uploadShape(doc: OpenApi): UploadShape | null {
	const post = doc.paths?.[VOICES_PATH]?.post ?? doc.paths?.[`${VOICES_PATH}/`]?.post;
	if (!post) return null;
	const content = post.requestBody?.content ?? {};
	const schema = resolveRef(doc, content['multipart/form-data']?.schema);
	const props = schema?.properties ?? {};
	const file = Object.keys(props).find((k) => isBinary(props[k])) ?? 'audio';
	const fields: UploadShape['fields'] = {};
	for (const [ours, names] of Object.entries(ALIASES) as [keyof UploadShape['fields'], string[]][]) {
		const found = names.find((n) => n in props);
		if (found) fields[ours] = found;
	}
	if (!fields.name) fields.name = 'name';
	return { file, fields, tagsAsArray: isArray(props[fields.tags ?? 'tags']) };
}

/** Comma- or newline-separated tags, trimmed, without duplicates. */
export function parseTags(text: string): string[] {
	return [...new Set(text.split(/[,\n]/).map((t) => t.trim()).filter(Boolean))];
}

export interface NewVoice {
	name: string;
	audio: Blob;
	filename: string;
	transcript?: string;
	description?: string;
	tags?: string[];
}

export function uploadForm(shape: UploadShape, voice: NewVoice): FormData {
	const form = new FormData();
	form.set(shape.fields.name ?? 'name', voice.name);
	form.set(shape.file, voice.audio, voice.filename);
	if (voice.transcript && shape.fields.transcript) form.set(shape.fields.transcript, voice.transcript);
	if (voice.description && shape.fields.description) {
		form.set(shape.fields.description, voice.description);
	}
	if (voice.tags?.length && shape.fields.tags) {
		if (shape.tagsAsArray) voice.tags.forEach((t) => form.append(shape.fields.tags!, t));
		else form.set(shape.fields.tags, voice.tags.join(','));
	}
	return form;
}

/** The transcript of a profile and where it came from ("transcribed by whisper:tiny.en"). */
export function transcriptOf(voice: VoiceProfile): { text: string; source: string } {
	const source = voice.transcript_source ?? '';
	return {
		text: voice.transcript ?? '',
		source: source.startsWith('whisper') ? `transcribed by ${source}` : source === 'user' ? 'as entered' : source
	};
}

export class VoicesUnavailable extends Error {}

/** GET /api/voices, accepting a plain list or a page ({items}). */
export async function listVoices(): Promise<VoiceProfile[]> {
	try {
		const body = await request<VoiceProfile[] | { items: VoiceProfile[] }>(VOICES_PATH);
		return Array.isArray(body) ? body : (body.items ?? []);
	} catch (e) {
		if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
			throw new VoicesUnavailable(
				`This server has no voice profiles yet: GET /api/voices answered ${e.status}.`
			);
		}
		throw e;
	}
}

export async function fetchOpenApi(): Promise<OpenApi> {
	return request<OpenApi>('/openapi.json');
}

const one = (id: string) => pathOf('/api/voices/{voice_id}', { voice_id: id });

export const voices = {
	create: (form: FormData) => request<VoiceProfile>(VOICES_PATH, { method: 'POST', form }),
	update: (id: string, patch: VoicePatch) =>
		request<VoiceProfile>(one(id), { method: 'PATCH', json: patch }),
	remove: (id: string) => raw(one(id), { method: 'DELETE' }).then(() => undefined),
	audioUrl: (id: string) => pathOf('/api/voices/{voice_id}/audio', { voice_id: id }),
	/** Make an engine voice (Kokoro: a style-vector search) from the profile; a job. */
	match: (id: string, body: MatchRequest) =>
		request<Job>(pathOf('/api/voices/{voice_id}/match', { voice_id: id }), { method: 'POST', json: body })
};

/** What to send as a job's `voice` to speak with a profile. */
export function profileVoice(voice: VoiceProfile): string {
	return voice.voice || `profile:${voice.id}`;
}

/** A model can speak with a profile when it clones voices, or an engine voice was made for it. */
export function canSpeakWith(voice: VoiceProfile, modelId: string, cloning: boolean): boolean {
	return cloning || modelId in (voice.engine_voices ?? {});
}

/** The fields PATCH /api/voices/{id} accepts (JSON body), from the OpenAPI schema; SPEC.md's
 * name, description and tags when the schema does not say. */
export function patchFields(doc: OpenApi): Set<string> {
	const entry = Object.entries(doc.paths ?? {}).find(([path]) => /^\/api\/voices\/\{[^}]+\}$/.test(path));
	const patch = entry?.[1]?.patch;
	const schema = resolveRef(doc, patch?.requestBody?.content?.['application/json']?.schema);
	const names = Object.keys(schema?.properties ?? {});
	return new Set(names.length ? names : ['name', 'description', 'tags']);
}

/** The engine POST /api/voices/{id}/match makes voices for by default (MatchIn.model_id's
 * default in the schema: the API does not list which engines can match yet). */
export function matchDefault(doc: OpenApi): string | null {
	const schema = doc.components?.schemas?.MatchIn as (SchemaObject & { properties?: Record<string, { default?: unknown }> }) | undefined;
	const value = schema?.properties?.model_id?.default;
	return typeof value === 'string' ? value : null;
}
