"""Test harness shared by every app's tests: real data, browser, isolation checks."""
