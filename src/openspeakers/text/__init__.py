"""Text before it reaches an engine: the SSML subset and the pronunciation lexicon."""
