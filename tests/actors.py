"""Actors for tests that call a writing service directly and are not about who wrote (see
jeonju_center/common/actors.py); tests about the actor build the one they check."""

from jeonju_center.common.actors import Actor

#: A job of the system, as beat tasks and retention run (no account).
TEST_JOB = Actor.system("시험 작업")

#: A visitor without an account (not staff, no one to act for).
ANONYMOUS_VISITOR = Actor.citizen(None)
