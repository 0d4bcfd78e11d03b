"""Audio helpers: encoding to the OpenAI response formats and text/segment utilities."""
