// A single-page app: rendered in the browser, served as static files by the Python server.
export const ssr = false;
export const prerender = false;
