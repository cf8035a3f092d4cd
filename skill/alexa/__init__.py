"""The Alexa side: request handlers, interceptors, speech, and Alexa's HTTP APIs."""
