import { describe, expect, it } from 'vitest';
import { settings } from '$lib/stores/settings.svelte';
import { errorMessage, pathOf, wsUrl } from './client';
import { jobEvent } from './jobs';
import { parseTags, patchFields, uploadForm, uploadShape } from './voices';

describe('client', () => {
	it('reads FastAPI, validation and OpenAI error bodies', () => {
		expect(errorMessage(400, { detail: 'text is empty' })).toBe('text is empty');
		expect(
			errorMessage(422, { detail: [{ loc: ['body', 'speed'], msg: 'Input should be less than or equal to 4' }] })
		).toBe('speed: Input should be less than or equal to 4');
		expect(
			errorMessage(422, {
				detail: 'speed: Value is nan: numbers must be finite',
				errors: [{ loc: ['body', 'speed'], msg: 'Value is nan: numbers must be finite', type: 'value_error' }]
			})
		).toBe('speed: Value is nan: numbers must be finite');
		expect(errorMessage(400, { error: { message: 'unknown model' } })).toBe('unknown model');
		expect(errorMessage(401, null)).toBe('missing or invalid API key');
		expect(errorMessage(502, 'x')).toBe('request failed (HTTP 502)');
	});

	it('fills path parameters from the schema paths', () => {
		expect(pathOf('/api/tts/jobs/{job_id}', { job_id: 'ab/c' })).toBe('/api/tts/jobs/ab%2Fc');
		expect(() => pathOf('/api/tts/jobs/{job_id}')).toThrow(/job_id/);
	});

	it('passes the API key to WebSockets as ?api_key=', () => {
		settings.apiKey = '';
		expect(wsUrl('/ws/gpu', { protocol: 'http:', host: 'h:8080' })).toBe('ws://h:8080/ws/gpu');
		settings.apiKey = 'osk-a b';
		expect(wsUrl('/ws/gpu', { protocol: 'https:', host: 'h' })).toBe('wss://h/ws/gpu?api_key=osk-a%20b');
		settings.apiKey = '';
	});

	it('describes a stored job as the event a late subscriber would get', () => {
		const base = { id: 'j', duration_seconds: 2, error: 'boom', progress: 0.5 };
		expect(jobEvent({ ...base, status: 'complete' } as never)).toEqual({ type: 'complete', job_id: 'j', duration: 2 });
		expect(jobEvent({ ...base, status: 'failed' } as never)).toEqual({ type: 'failed', job_id: 'j', error: 'boom' });
		expect(jobEvent({ ...base, status: 'running' } as never)).toMatchObject({ type: 'generating', progress: 0.5 });
		expect(jobEvent({ ...base, status: 'pending' } as never)).toMatchObject({ type: 'queued' });
	});
});

describe('voice uploads', () => {
	const openapi = {
		paths: {
			'/api/voices': {
				post: {
					requestBody: {
						content: {
							'multipart/form-data': { schema: { $ref: '#/components/schemas/Body_create_voice' } }
						}
					}
				}
			},
			'/api/voices/{voice_id}': {
				patch: {
					requestBody: {
						content: { 'application/json': { schema: { $ref: '#/components/schemas/VoicePatch' } } }
					}
				}
			}
		},
		components: {
			schemas: {
				Body_create_voice: {
					properties: {
						name: { type: 'string' },
						file: { type: 'string', contentMediaType: 'application/octet-stream' },
						reference_text: { anyOf: [{ type: 'string' }, { type: 'null' }] },
						tags: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] }
					}
				},
				VoicePatch: { properties: { name: {}, tags: {}, reference_text: {} } }
			}
		}
	};

	it('reads the upload field names from the OpenAPI schema', () => {
		expect(uploadShape(openapi)).toEqual({
			file: 'file',
			fields: { name: 'name', transcript: 'reference_text', tags: 'tags' },
			tagsAsArray: true
		});
		expect(uploadShape({ paths: {} })).toBeNull();
	});

	it('builds the multipart body in that shape', () => {
		const shape = uploadShape(openapi)!;
		const form = uploadForm(shape, {
			name: 'Narrator',
			audio: new Blob([new Uint8Array([1, 2])], { type: 'audio/wav' }),
			filename: 'ref.wav',
			transcript: 'Hello.',
			description: 'not in the schema: left out',
			tags: ['warm', 'calm']
		});
		expect(form.get('name')).toBe('Narrator');
		expect((form.get('file') as File).name).toBe('ref.wav');
		expect(form.get('reference_text')).toBe('Hello.');
		expect(form.getAll('tags')).toEqual(['warm', 'calm']);
		expect(form.has('description')).toBe(false);
	});

	it('sends tags as one comma-separated field when the server takes a string', () => {
		const form = uploadForm(
			{ file: 'audio', fields: { name: 'name', tags: 'tags' }, tagsAsArray: false },
			{ name: 'n', audio: new Blob([]), filename: 'a.wav', tags: ['a', 'b'] }
		);
		expect(form.getAll('tags')).toEqual(['a,b']);
	});

	it('knows which fields PATCH takes (SPEC.md fields when the schema has none)', () => {
		expect([...patchFields(openapi)].sort()).toEqual(['name', 'reference_text', 'tags']);
		expect([...patchFields({})].sort()).toEqual(['description', 'name', 'tags']);
	});

	it('parses tags', () => {
		expect(parseTags(' warm, calm ,,warm\nnarrator')).toEqual(['warm', 'calm', 'narrator']);
	});
});
