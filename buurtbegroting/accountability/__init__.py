"""Accountability for funded ideas: payout, milestones, updates, expenses, final report."""
