"""The dashboard's facts per reader: what everyone sees (:mod:`everyone`), the main contact's
setup and company view (:mod:`main_contact`), the controller's figures (:mod:`controller`).
Codes and figures only; ``presenters/dashboard.py`` words them."""
