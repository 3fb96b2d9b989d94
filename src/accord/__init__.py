"""accord: a peace-process monitor.

Turns statements and reports about a negotiation into sourced claims, a reconciled board of where
the talks stand, agreement tracking and ceasefire monitoring. Case data lives in packs.
"""

__version__ = "0.1.0"
