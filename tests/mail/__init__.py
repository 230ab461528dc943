"""Tests of buurtbegroting.mail: the queue, the worker, the outbox page."""
