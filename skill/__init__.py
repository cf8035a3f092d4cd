"""Comeback Coach: an Alexa skill that coaches someone through a break-up."""

__version__ = "0.1.0"
