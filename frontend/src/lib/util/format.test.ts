import { describe, expect, it } from 'vitest';
import type { Job } from '$lib/api/types';
import {
	batchLines,
	capabilityLabel,
	changedParams,
	deviceLabel,
	dispositionFilename,
	formatBytes,
	formatDuration,
	jobScores,
	matchesQuery,
	paramFields,
	parseServerDate,
	percent,
	requestedSpeed,
	rerunRequest
} from './format';

const job: Job = {
	id: '117b95baf1674f4eb1886f47eff09552',
	model_id: 'espeak',
	voice: 'de',
	text: 'Guten Tag.',
	parameters: { speed: 1.0, tempo: 1.3, pitch: 1.2, engine: { gap: 2 }, language: 'de' },
	format: 'mp3',
	status: 'complete',
	error: null,
	progress: 1,
	attempts: 1,
	queued_at: '2026-11-29T14:13:41.113633',
	started_at: null,
	finished_at: null,
	duration_seconds: 1.99,
	sample_rate: 22050,
	batch_id: null,
	audio_url: '/api/tts/jobs/117b95baf1674f4eb1886f47eff09552/audio'
};

describe('dates and numbers', () => {
	it('reads zone-less server times as UTC', () => {
		expect(parseServerDate('2026-11-29T14:13:41.113633')?.toISOString()).toBe('2026-11-29T14:13:41.113Z');
		expect(parseServerDate('2026-11-29T14:13:41Z')?.toISOString()).toBe('2026-11-29T14:13:41.000Z');
		expect(parseServerDate('2026-11-29T16:13:41+02:00')?.toISOString()).toBe('2026-11-29T14:13:41.000Z');
		expect(parseServerDate(null)).toBeNull();
		expect(parseServerDate('nonsense')).toBeNull();
	});

	it('formats durations, sizes and percentages', () => {
		expect(formatDuration(1.99)).toBe('2.0 s');
		expect(formatDuration(65.2)).toBe('1:05');
		expect(formatDuration(null)).toBe('—');
		expect(formatBytes(60.3 * 1024 * 1024)).toBe('60.3 MB');
		expect(formatBytes(512)).toBe('512 B');
		expect(percent(0.456)).toBe(46);
		expect(percent(1.7)).toBe(100);
		expect(percent(undefined)).toBe(0);
	});

	it('labels capabilities', () => {
		expect(capabilityLabel('voice_cloning')).toBe('Voice cloning');
		expect(capabilityLabel('new_thing')).toBe('new thing');
	});
});

describe('re-running a job', () => {
	it('recovers the requested speed from speed or tempo', () => {
		expect(requestedSpeed({ speed: 1.2, tempo: 1.0 })).toBe(1.2);
		expect(requestedSpeed({ speed: 1.0, tempo: 3.0 })).toBe(3);
		expect(requestedSpeed({})).toBe(1);
	});

	it('builds the same request, optionally in another format', () => {
		expect(rerunRequest(job)).toEqual({
			text: 'Guten Tag.',
			model_id: 'espeak',
			voice: 'de',
			speed: 1.3,
			pitch: 1.2,
			format: 'mp3',
			params: { gap: 2 },
			language: 'de'
		});
		expect(rerunRequest(job, 'flac').format).toBe('flac');
	});

	it('keeps the listening check of the job', () => {
		const checked = { ...job, parameters: { ...job.parameters, verify: { max_wer: 0.2, max_tries: 2 } } };
		expect(rerunRequest(checked).verify).toEqual({ max_wer: 0.2, max_tries: 2 });
		expect(rerunRequest(job).verify).toBeUndefined();
	});

	it('summarises similarity and the listening check', () => {
		expect(jobScores(job)).toBe('');
		expect(
			jobScores({
				...job,
				similarity: 0.912,
				verify: { max_wer: 0.25, max_tries: 3, wer: 0.3, passed: false, tries: [
					{ attempt: 1, seed: 1, wer: 0.5, transcript: 'x' },
					{ attempt: 2, seed: 2, wer: 0.3, transcript: 'y' }
				] }
			})
		).toBe('similarity 0.91 · WER 30 % (above the limit) after 2 tries');
	});
});

describe('text helpers', () => {
	it('splits batch lines like the server does', () => {
		expect(batchLines('  one \r\n\n two\n   \nthree  ')).toEqual(['one', 'two', 'three']);
		expect(batchLines('')).toEqual([]);
	});

	it('reads file names from Content-Disposition', () => {
		expect(dispositionFilename('attachment; filename="batch-abc.zip"', 'x')).toBe('batch-abc.zip');
		expect(dispositionFilename("inline; filename*=UTF-8''voix%20%C3%A9.wav", 'x')).toBe('voix é.wav');
		expect(dispositionFilename(null, 'fallback.wav')).toBe('fallback.wav');
	});

	it('matches every word of a query, case-insensitively', () => {
		expect(matchesQuery('en us', 'en-us', 'English (America)')).toBe(true);
		expect(matchesQuery('FEMALE ja', 'jf_alpha', 'ja', 'female')).toBe(true);
		expect(matchesQuery('male de', 'jf_alpha', 'ja', 'female')).toBe(false);
		expect(matchesQuery('', 'anything')).toBe(true);
	});
});

describe('engine parameters', () => {
	it('turns registry defaults into fields, skipping nested values', () => {
		expect(paramFields({ noise_scale: 0.667, lang: 'en-us', sample: true, nested: { a: 1 } })).toEqual([
			{ key: 'noise_scale', kind: 'number', value: 0.667 },
			{ key: 'lang', kind: 'text', value: 'en-us' },
			{ key: 'sample', kind: 'boolean', value: true }
		]);
	});

	it('sends only what differs from the defaults', () => {
		const defaults = { noise_scale: 0.667, lang: 'en-us' };
		expect(changedParams(defaults, { noise_scale: 0.667, lang: 'en-us' })).toEqual({});
		expect(changedParams(defaults, { noise_scale: 0.5, lang: '' })).toEqual({ noise_scale: 0.5 });
	});
});

describe('deviceLabel', () => {
	it('names where each kind of engine runs', () => {
		expect(deviceLabel('cuda')).toBe('GPU');
		expect(deviceLabel('auto')).toBe('GPU or CPU');
		expect(deviceLabel('cpu')).toBe('CPU');
	});
});
