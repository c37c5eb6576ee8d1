"""The sections of the safety check, one widget per file (see screens/safety.py)."""
