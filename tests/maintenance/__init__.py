"""Unit tests of the maintenance logic, without Home Assistant."""
