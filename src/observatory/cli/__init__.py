"""The ``observatory`` command: thin wrappers that parse arguments and call library functions."""
