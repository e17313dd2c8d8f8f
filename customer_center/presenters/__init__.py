"""Presenters: the one place where read models become words in the reader's language.

Services return codes and figures; a presenter turns them into the small view dictionaries
the states send to the browser (and the texts CSV exports carry). No Reflex, no database.
"""
