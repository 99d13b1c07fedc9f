"""Code shared by the tests: fixture plugins (registered in tests/conftest.py and
tests/gui/conftest.py), local servers, model-file tools and small helpers."""
