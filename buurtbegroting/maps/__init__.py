"""Maps: an inline SVG map drawn on the server (boundaries and numbered ideas), made zoomable
by static/js/map.js with Leaflet where JavaScript runs, and the spot of an idea.

The geometry itself is pure and lives in ``domain/geo.py``; this package reads the
boundaries of areas, builds what the ``macros/map.html`` macro draws, and checks a spot.
"""
