"""What follows a closed round: turnout (online and paper), recorded overrides of the
winners, the shareable results page's pieces, the A4 poster and the council's evaluation pack.

The public views stay in rounds/views/results.py; this package holds their services.
"""
