"""The demo municipality (Oss): invented but plausible areas, plans, ideas, rounds and cheques.

Kept outside the package, as CTFd keeps its populate script: a production install has
no use for it, and ``flask demo load`` refuses to run under the production configuration.
"""
