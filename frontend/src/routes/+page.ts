import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// `/` opens the speech page, which lives at `/tts` (the paths OpenSpeakers' users know);
// a `?job=` link keeps its query.
export const load: PageLoad = ({ url }) => {
	redirect(307, `/tts${url.search}`);
};
