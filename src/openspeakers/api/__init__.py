"""HTTP API: the FastAPI app factory, one router per area."""
