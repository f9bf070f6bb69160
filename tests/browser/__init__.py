"""Real-browser tests (make test-browser)."""
