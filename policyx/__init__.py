"""policyx: explore a policy debate from the terminal."""

__version__ = "0.1.0"
