"""Punchout: procurement systems (cXML, OCI) open the catalogue for their users, take the
cart back and send the orders their own approval released."""
