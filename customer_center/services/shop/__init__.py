"""Shop use cases."""
