"""Orders use cases."""
