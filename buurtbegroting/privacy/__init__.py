"""Privacy: how long personal data is kept, and the daily command that removes it.

What every table keeps, why and for how long is written down in docs/privacy.md.
"""
