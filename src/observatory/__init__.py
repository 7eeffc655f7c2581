"""Drug Observatory: an open platform for monitoring the world drug problem."""

__version__ = "0.1.0"
