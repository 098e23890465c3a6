"""Binds every .feature file in this folder to pytest through pytest-bdd; the steps live in steps/."""

from pytest_bdd import scenarios

scenarios(".")
