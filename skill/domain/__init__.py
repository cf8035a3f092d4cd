"""The coaching method as pure Python: no database, no Alexa, `today` always an argument."""
