"""Test support: real services started on loopback for integration tests."""
