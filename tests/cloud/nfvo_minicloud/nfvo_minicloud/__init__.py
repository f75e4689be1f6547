"""Test-only extensions for the telco.nfvo local OpenStack (tests/cloud)."""
