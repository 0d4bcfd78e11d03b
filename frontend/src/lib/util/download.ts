import { raw } from '$lib/api/client';
import { dispositionFilename } from './format';

/** Save a Blob as a file (an <a download> click; works for blob: URLs in every browser). */
export function saveBlob(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Download an API file with the API key (a plain link could not send it). */
export async function downloadFrom(url: string, fallbackName: string): Promise<void> {
	const response = await raw(url);
	const name = dispositionFilename(response.headers.get('content-disposition'), fallbackName);
	saveBlob(await response.blob(), name);
}
