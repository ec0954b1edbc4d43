"""Developer scripts; importable so their logic can be tested."""
