"""People use cases."""
