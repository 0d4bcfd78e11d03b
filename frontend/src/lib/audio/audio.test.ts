import { describe, expect, it } from 'vitest';
import { base64ToBytes, nextStart, pcm16ToFloat32, PcmStreamPlayer, type AudioContextLike } from './pcm';
import { pcmToWav } from './wav';

function b64(samples: number[]): string {
	const bytes = new Uint8Array(new Int16Array(samples).buffer);
	return Buffer.from(bytes).toString('base64');
}

class FakeSource {
	buffer: { duration: number } | null = null;
	startedAt: number | null = null;
	stopped = false;
	onended: (() => void) | null = null;
	connect() {}
	start(at: number) {
		this.startedAt = at;
	}
	stop() {
		this.stopped = true;
	}
}

class FakeContext {
	currentTime = 10;
	state = 'running';
	destination = {} as AudioNode;
	sources: FakeSource[] = [];
	async resume() {}
	async close() {}
	createBuffer(_channels: number, length: number, sampleRate: number) {
		const data = new Float32Array(length);
		return { duration: length / sampleRate, getChannelData: () => data } as unknown as AudioBuffer;
	}
	createBufferSource() {
		const source = new FakeSource();
		this.sources.push(source);
		return source as unknown as AudioBufferSourceNode;
	}
}

describe('pcm decoding', () => {
	it('decodes base64 16-bit little-endian PCM to floats', () => {
		const floats = pcm16ToFloat32(base64ToBytes(b64([0, 16384, -32768, 32767])));
		expect([...floats]).toEqual([0, 0.5, -1, 32767 / 32768]);
	});

	it('ignores a trailing odd byte', () => {
		expect(pcm16ToFloat32(new Uint8Array([0, 64, 7])).length).toBe(1);
	});
});

describe('streaming schedule', () => {
	it('plays chunks back to back, and leaves a small lead when it ran dry', () => {
		expect(nextStart(10, 0)).toBeCloseTo(10.06);
		expect(nextStart(10, 12.5)).toBe(12.5);
	});

	it('schedules each chunk right after the previous one', () => {
		const ctx = new FakeContext();
		const player = new PcmStreamPlayer(ctx as unknown as AudioContextLike);
		const second = b64(new Array(24000).fill(1000)); // 1 s at 24 kHz
		const first = player.push(second, 24000);
		const next = player.push(second, 24000);
		expect(first).toBeCloseTo(10.06);
		expect(next).toBeCloseTo(11.06);
		expect(player.received).toBeCloseTo(2);
		expect(player.remaining()).toBeCloseTo(2.06);
		expect(player.playing).toBe(true);
		ctx.currentTime = 20; // the player ran dry: the next chunk starts soon, not in the past
		expect(player.push(second, 24000)).toBeCloseTo(20.06);
		player.stop();
		expect(ctx.sources.every((s) => s.stopped)).toBe(true);
		expect(player.playing).toBe(false);
	});
});

describe('pcm to wav', () => {
	it('writes a 44-byte RIFF header before the samples', () => {
		const pcm = new Uint8Array([1, 2, 3, 4]);
		const wav = pcmToWav(pcm, 24000);
		const view = new DataView(wav.buffer);
		const text = (o: number) => String.fromCharCode(...wav.slice(o, o + 4));
		expect(text(0)).toBe('RIFF');
		expect(text(8)).toBe('WAVE');
		expect(view.getUint32(4, true)).toBe(40);
		expect(view.getUint32(24, true)).toBe(24000);
		expect(view.getUint32(28, true)).toBe(48000);
		expect(view.getUint16(34, true)).toBe(16);
		expect(view.getUint32(40, true)).toBe(4);
		expect([...wav.slice(44)]).toEqual([1, 2, 3, 4]);
	});
});
