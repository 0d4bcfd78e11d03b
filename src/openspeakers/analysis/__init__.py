"""Listening to audio: transcripts (faster-whisper), speaker similarity (Resemblyzer), word
error rate and captions. Models load lazily, once per process, and are never touched on the
event loop."""
