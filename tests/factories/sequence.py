"""The counter that keeps made objects' names and codes apart."""

import itertools

seq = itertools.count(1)
