"""Tests of the fault knowledge package (plain pytest, no Home Assistant)."""
