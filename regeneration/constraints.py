"""Kept so that the migrations written before the constraint moved to ``jeonju_center.common.constraints``
still import; new code imports it from there."""

from jeonju_center.common.constraints import PostgresExclusionConstraint

__all__ = ["PostgresExclusionConstraint"]
