"""Voice profiles: safe reference uploads, transcripts, storage, and engine voices made from
them (Kokoro voice matching)."""
