"""Text before it reaches an engine: the SSML subset, the pronunciation lexicon, and text
normalisation (Markdown and emoji out; numbers, dates, money... in words)."""
