// Streaming playback of /ws/jobs/{id} audio_chunk events (base64 16-bit little-endian mono PCM):
// each chunk becomes an AudioBuffer scheduled right after the previous one, so playback starts
// with the first sentence while the rest is still being generated.

/** base64 -> bytes (atob works in browsers and in Node 16+). */
export function base64ToBytes(b64: string): Uint8Array {
	const bin = atob(b64);
	const bytes = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
	return bytes;
}

/** pcm_s16le bytes -> float samples in [-1, 1). */
export function pcm16ToFloat32(bytes: Uint8Array): Float32Array {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const out = new Float32Array(Math.floor(bytes.byteLength / 2));
	for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
	return out;
}

/** When the next chunk starts: right after the scheduled audio, or after a small lead if the
 * player ran dry (a gap instead of overlapping or starting in the past). */
export function nextStart(now: number, scheduledEnd: number, lead = 0.06): number {
	return Math.max(now + lead, scheduledEnd);
}

/** The minimal part of AudioContext the player uses (a fake one in unit tests). */
export interface AudioContextLike {
	currentTime: number;
	state: string;
	destination: AudioNode;
	resume(): Promise<void>;
	close(): Promise<void>;
	createBuffer(channels: number, length: number, sampleRate: number): AudioBuffer;
	createBufferSource(): AudioBufferSourceNode;
}

export class PcmStreamPlayer {
	private end = 0;
	private sources: AudioBufferSourceNode[] = [];
	/** seconds of audio received */
	received = 0;
	/** when the first chunk was scheduled (AudioContext time), or null */
	startedAt: number | null = null;

	constructor(private ctx: AudioContextLike) {}

	/** Schedule one chunk; returns the AudioContext time at which it starts. */
	push(b64: string, sampleRate: number): number {
		const samples = pcm16ToFloat32(base64ToBytes(b64));
		if (!samples.length) return this.end;
		const buffer = this.ctx.createBuffer(1, samples.length, sampleRate);
		buffer.getChannelData(0).set(samples);
		const source = this.ctx.createBufferSource();
		source.buffer = buffer;
		source.connect(this.ctx.destination);
		const at = nextStart(this.ctx.currentTime, this.end);
		source.start(at);
		this.startedAt ??= at;
		this.end = at + buffer.duration;
		this.received += buffer.duration;
		this.sources.push(source);
		source.onended = () => {
			this.sources = this.sources.filter((s) => s !== source);
		};
		return at;
	}

	/** Seconds until everything scheduled has played. */
	remaining(): number {
		return Math.max(0, this.end - this.ctx.currentTime);
	}

	get playing(): boolean {
		return this.sources.length > 0;
	}

	stop(): void {
		for (const source of this.sources) {
			try {
				source.stop();
			} catch {
				/* never started */
			}
		}
		this.sources = [];
		this.end = 0;
	}
}
