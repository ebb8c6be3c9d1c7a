"""Reliability tests: crash safety, concurrency, corruption, bad and hostile notes, properties, load."""
