/** Wrap raw pcm_s16le mono samples in a WAV header so an <audio> element can play them
 * (the `pcm` format has no container). */
export function pcmToWav(pcm: Uint8Array, sampleRate: number, channels = 1): Uint8Array {
	const out = new Uint8Array(44 + pcm.byteLength);
	const view = new DataView(out.buffer);
	const ascii = (offset: number, text: string) =>
		[...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
	ascii(0, 'RIFF');
	view.setUint32(4, 36 + pcm.byteLength, true);
	ascii(8, 'WAVE');
	ascii(12, 'fmt ');
	view.setUint32(16, 16, true); // fmt chunk size
	view.setUint16(20, 1, true); // PCM
	view.setUint16(22, channels, true);
	view.setUint32(24, sampleRate, true);
	view.setUint32(28, sampleRate * channels * 2, true); // byte rate
	view.setUint16(32, channels * 2, true); // block align
	view.setUint16(34, 16, true); // bits per sample
	ascii(36, 'data');
	view.setUint32(40, pcm.byteLength, true);
	out.set(pcm, 44);
	return out;
}
