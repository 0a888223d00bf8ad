"""Strikes and the policy: the pure rule (two yellows make a red, abuse of staff is a straight
red, strikes expire after the window), applying it after every change, the fairness notes, and
decision labels."""
